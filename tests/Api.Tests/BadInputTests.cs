using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>A refused request changes nothing: every bad admission input is a 400 (or 413/415) and leaves spend, holds and keys as they were.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class BadInputTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in BadInputs.All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_input_is_refused_and_changes_nothing(string name)
    {
        var input = BadInputs.All[name];
        var victim = await Victim.CreateAsync(_api, await host.NewTenantAsync("bad"));
        var bytes = Encoding.UTF8.GetBytes(input.Body);
        HttpContent content = input.Chunked ? new UnknownLengthContent(bytes, input.MediaType) : ApiClient.Body(input.Body, input.MediaType);

        using var request = new HttpRequestMessage(HttpMethod.Post, PathOf(input.Target, victim)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", victim.Tenant.ServiceKey);

        // A client that sends a large body announced by Content-Length waits for "100 Continue", so a host
        // that refuses it from the headers alone answers 413 before the body is sent. Without that, the host
        // closes the connection on a body it will not read, and the client may see a reset instead of the 413.
        request.Headers.ExpectContinue = input.Status == HttpStatusCode.RequestEntityTooLarge && !input.Chunked;
        var response = await _api.SendAsync(request);

        if (input.Field is { } field)
        {
            Assert.Equal(HttpStatusCode.BadRequest, input.Status);
            response.ExpectInvalid(field);
        }
        else
        {
            response.ExpectProblem(input.Status);
        }

        await victim.AssertUntouchedAsync(_api);
        await AssertNothingWasUsedUpAsync(input.Target, victim);
    }

    private static string PathOf(Target target, Victim victim) => target switch
    {
        Target.Check => victim.Tenant.Path("/check"),
        Target.Reserve => victim.Tenant.Path("/reservations"),
        Target.Commit => victim.Tenant.Path($"/reservations/{victim.ReservationId}/commit"),
        _ => victim.Tenant.Path("/usage"),
    };

    /// <summary>The refused request did not consume its idempotency key, nor commit the reservation.</summary>
    private async Task AssertNothingWasUsedUpAsync(Target target, Victim victim)
    {
        switch (target)
        {
            case Target.Usage:
                var usage = await victim.Tenant.RecordUsageAsync($$"""{ "idempotencyKey": "{{BadInputs.Key}}", "actual": { "cost": 1 } }""");
                Assert.False(usage.Bool("duplicate"));
                Assert.Equal(victim.Use.CostSpent + 1m, (await victim.Tenant.UseOfAsync(Victim.BudgetId)).CostSpent);
                break;
            case Target.Reserve:
                var reservation = await victim.Tenant.ReserveAsync($$"""{ "idempotencyKey": "{{BadInputs.Key}}", "estimate": { "cost": 1 } }""");
                Assert.True(reservation.Bool("granted"));
                Assert.Equal(victim.Use.CostReserved + 1m, (await victim.Tenant.UseOfAsync(Victim.BudgetId)).CostReserved);
                break;
            case Target.Commit:
                var commit = await victim.Tenant.CommitAsync(victim.ReservationId, """{ "actual": { "cost": 1 } }""");
                Assert.Equal(1m, commit.Dec("charged.cost"));
                Assert.Equal(victim.Use.CostReserved, commit.Dec("released.cost"));
                break;
        }
    }
}
