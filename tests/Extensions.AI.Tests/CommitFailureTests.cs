using BudgetActors.Extensions.AI.Tests.Support;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>
/// A commit that fails after the model answered: the answer is still delivered, the commit is retried
/// once, and a second failure is reported through OnCommitFailed rather than lost.
/// </summary>
public sealed class CommitFailureTests
{
    [Fact]
    public async Task One_failed_commit_is_retried_and_the_response_returned()
    {
        var p = new Pipeline();
        p.Budgets.FailingCommits = 1;

        var response = await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Equal(p.Model.FullText, response.Text);
        Assert.Equal(2, p.Budgets.CommitAttempts);
        Assert.Single(p.Budgets.Commits);
        Assert.Empty(p.CommitFailures);
        Assert.Equal(SettlementKind.Committed, p.SingleSettlement.Kind);
    }

    [Fact]
    public async Task Two_failed_commits_still_return_the_response_and_report_the_unrecorded_spend()
    {
        var p = new Pipeline();
        p.Budgets.FailingCommits = 2;

        var response = await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Equal(p.Model.FullText, response.Text);
        Assert.Equal(2, p.Budgets.CommitAttempts);
        var failure = Assert.Single(p.CommitFailures);
        Assert.Equal(("acme", "res-1"), (failure.Tenant, failure.ReservationId));
        Assert.Equal(new LlmUsage("big-model", 120, 30, 0, Shape: LlmUsageShape.OpenAI), failure.Actual);
        Assert.Same(p.Budgets.CommitError, failure.Error);
        Assert.Equal(SettlementKind.CommitFailed, p.SingleSettlement.Kind);
    }

    [Fact]
    public async Task A_stream_whose_commit_fails_twice_is_still_read_to_its_end()
    {
        var p = new Pipeline();
        p.Budgets.FailingCommits = 2;

        var text = await p.ReadAllAsync();

        Assert.Equal(p.Model.FullText, text);
        Assert.Single(p.CommitFailures);
    }

    [Fact]
    public async Task A_commit_refused_as_invalid_is_not_retried()
    {
        var p = new Pipeline();
        p.Budgets.FailingCommits = 2;
        p.Budgets.CommitError = new BudgetApiException(400, "Bad Request", "'llmUsage' amounts need the pricing catalog");

        await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Equal(1, p.Budgets.CommitAttempts);
        Assert.Equal(400, Assert.IsType<BudgetApiException>(Assert.Single(p.CommitFailures).Error).Status);
    }

    [Fact]
    public async Task A_throwing_callback_does_not_break_the_call()
    {
        var p = new Pipeline(o => o.OnSettled = _ => throw new InvalidOperationException("callback bug"));

        var response = await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Equal(p.Model.FullText, response.Text);
        Assert.Single(p.Budgets.Commits);
    }
}
