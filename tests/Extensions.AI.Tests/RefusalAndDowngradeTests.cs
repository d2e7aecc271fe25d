using BudgetActors.Extensions.AI.Tests.Fakes;
using BudgetActors.Extensions.AI.Tests.Support;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>What the budget's decision does to the call: a refusal stops it, a downgrade switches its model.</summary>
public sealed class RefusalAndDowngradeTests
{
    [Fact]
    public async Task A_refused_reservation_throws_a_BudgetExceededException_naming_the_budgets_and_never_calls_the_model()
    {
        var p = new Pipeline();
        p.Budgets.Answer = RecordingBudgetClient.Refuse("alice-daily", "acme-monthly");

        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => p.Client.GetResponseAsync(Pipeline.Prompt()));

        Assert.Equal(["alice-daily", "acme-monthly"], refused.BlockedBy);
        Assert.Equal(Decision.Block, refused.Decision);
        Assert.Equal(Pipeline.Tenant, refused.Tenant);
        Assert.Contains("'alice-daily'", refused.Message);
        Assert.Contains("'acme-monthly'", refused.Message);
        Assert.Empty(p.Model.Calls);
        Assert.Empty(p.Budgets.Commits);
        Assert.Empty(p.Budgets.Releases);
        Assert.Empty(p.Settlements);
    }

    [Fact]
    public async Task A_refused_stream_throws_on_its_first_read_and_never_calls_the_model()
    {
        var p = new Pipeline();
        p.Budgets.Answer = RecordingBudgetClient.Refuse("alice-daily");

        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => p.ReadAllAsync());

        Assert.Equal(["alice-daily"], refused.BlockedBy);
        Assert.Contains("Budget 'alice-daily' of tenant 'acme' refused", refused.Message);
        Assert.Empty(p.Model.Calls);
    }

    [Fact]
    public async Task A_downgrade_calls_the_suggested_model_and_commits_under_its_name()
    {
        var p = new Pipeline();
        p.Budgets.Answer = RecordingBudgetClient.Downgrade("small-model");
        var callerOptions = new ChatOptions { ModelId = "big-model", MaxOutputTokens = 50 };

        await p.Client.GetResponseAsync(Pipeline.Prompt(), callerOptions);

        Assert.Equal("small-model", p.Model.SingleCallOptions?.ModelId);
        Assert.Equal(50, p.Model.SingleCallOptions?.MaxOutputTokens);
        Assert.Equal("small-model", p.Budgets.SingleCommittedUsage.Model);
        Assert.Equal("big-model", callerOptions.ModelId); // the caller's options are not touched
        Assert.Equal(("big-model", "small-model"), (p.SingleSettlement.RequestedModel, p.SingleSettlement.CalledModel));
    }

    [Fact]
    public async Task A_downgraded_call_is_held_and_charged_on_the_budgets_of_the_model_that_answers()
    {
        var p = new Pipeline();
        p.Budgets.Answer = DowngradeBigModel(small: RecordingBudgetClient.Grant);

        await p.Client.GetResponseAsync(Pipeline.Prompt(), new ChatOptions { MaxOutputTokens = 50 });

        var asked = p.Budgets.Reservations;
        Assert.Equal(["big-model", "small-model"], asked.Select(r => r.Attributes["model"]));
        Assert.Equal(["big-model", "small-model"], asked.Select(RecordingBudgetClient.ModelOf));
        Assert.Equal(50, Assert.IsType<LlmEstimate>(asked[1].Estimate).MaxOutputTokens);
        Assert.NotEqual(asked[0].IdempotencyKey, asked[1].IdempotencyKey); // another body: another key
        // The requested model's hold goes before the answering model's is asked for, so the budgets both
        // fall under do not count the call twice.
        Assert.Equal(["reserve res-1", "release res-1", "reserve res-2", "commit res-2"], p.Budgets.Log);
        Assert.Equal("small-model", p.Budgets.SingleCommittedUsage.Model);
        Assert.Empty(p.Budgets.OpenHolds);
        Assert.Equal("small-model", p.Model.SingleCallOptions?.ModelId);
        var settled = p.SingleSettlement;
        Assert.Equal(("res-2", "big-model", "small-model"), (settled.ReservationId, settled.RequestedModel, settled.CalledModel));
    }

    [Fact]
    public async Task A_downgrade_the_answering_models_budgets_refuse_is_refused_and_holds_nothing()
    {
        var p = new Pipeline();
        p.Budgets.Answer = DowngradeBigModel(small: RecordingBudgetClient.Refuse("small-daily"));

        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => p.Client.GetResponseAsync(Pipeline.Prompt()));

        Assert.Equal(["small-daily"], refused.BlockedBy);
        Assert.Empty(p.Model.Calls);
        Assert.Equal([(Pipeline.Tenant, "res-1")], p.Budgets.Releases);
        Assert.Empty(p.Budgets.OpenHolds);
    }

    [Fact]
    public async Task A_downgraded_stream_cancelled_while_the_second_reservation_is_in_flight_holds_nothing()
    {
        var p = new Pipeline();
        p.Budgets.Answer = DowngradeBigModel(small: RecordingBudgetClient.Grant);
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.Budgets.InFlight = async (request, token) =>
        {
            if (RecordingBudgetClient.ModelOf(request) == "small-model")
            {
                sent.TrySetResult();
                await answer.Task.WaitAsync(token);
            }
        };
        using var cancel = new CancellationTokenSource();

        var reading = Task.Run(() => p.ReadAllAsync(cancellationToken: cancel.Token));
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        answer.TrySetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(["res-1", "res-2"], p.Budgets.Releases.Select(r => r.ReservationId));
        Assert.Empty(p.Budgets.OpenHolds);
        Assert.Empty(p.Model.Calls);
    }

    [Fact]
    public async Task A_downgrade_applies_to_streams_too()
    {
        var p = new Pipeline();
        p.Budgets.Answer = RecordingBudgetClient.Downgrade("small-model");

        await p.ReadAllAsync();

        Assert.Equal("small-model", p.Model.SingleCallOptions?.ModelId);
        Assert.Equal("small-model", p.Budgets.SingleCommittedUsage.Model);
    }

    [Fact]
    public async Task A_downgrade_is_ignored_when_the_option_is_off()
    {
        var p = new Pipeline(o => o.HonorDowngrade = false);
        p.Budgets.Answer = RecordingBudgetClient.Downgrade("small-model");

        await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Null(p.Model.SingleCallOptions?.ModelId);
        Assert.Equal("big-model", p.Budgets.SingleCommittedUsage.Model);
        Assert.Equal("big-model", p.Budgets.SingleReservation.Attributes["model"]);
    }

    [Fact]
    public async Task Warn_and_throttle_decisions_let_the_call_through_unchanged()
    {
        var p = new Pipeline();
        p.Budgets.Answer = (request, id) => RecordingBudgetClient.Grant(request, id) with { Decision = Decision.Throttle, ThrottleFactor = 0.5m };

        var response = await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Equal(p.Model.FullText, response.Text);
        Assert.Equal(Decision.Throttle, p.SingleSettlement.Reservation.Decision);
        Assert.Single(p.Budgets.Commits);
    }

    /// <summary>Budgets that downgrade big-model's calls to small-model, and answer small-model's as <paramref name="small"/> says.</summary>
    private static Func<BudgetReservationRequest, string, BudgetReservation> DowngradeBigModel(Func<BudgetReservationRequest, string, BudgetReservation> small) =>
        (request, id) => RecordingBudgetClient.ModelOf(request) == "small-model"
            ? small(request, id)
            : RecordingBudgetClient.Downgrade("small-model")(request, id);
}
