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

        Assert.Equal("big-model", p.Budgets.SingleEstimate.Model);
        Assert.Equal("small-model", p.Model.SingleCallOptions?.ModelId);
        Assert.Equal(50, p.Model.SingleCallOptions?.MaxOutputTokens);
        Assert.Equal("small-model", p.Budgets.SingleCommittedUsage.Model);
        Assert.Equal("big-model", callerOptions.ModelId); // the caller's options are not touched
        Assert.Equal(("big-model", "small-model"), (p.SingleSettlement.RequestedModel, p.SingleSettlement.CalledModel));
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
}
