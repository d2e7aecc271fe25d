using BudgetActors.Extensions.AI.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests.Support;

/// <summary>A scripted model behind <c>UseBudgets</c> with a recording budget client, as an application would build it.</summary>
public sealed class Pipeline
{
    public const string Tenant = "acme";

    public Pipeline(Action<BudgetChatOptions>? configure = null)
    {
        Client = new ChatClientBuilder(Model)
            .UseBudgets(Budgets, Tenant, options =>
            {
                options.OnSettled = Settlements.Add;
                options.OnCommitFailed = CommitFailures.Add;
                configure?.Invoke(options);
            })
            .Build();
    }

    public ScriptedChatClient Model { get; } = new();

    public RecordingBudgetClient Budgets { get; } = new();

    public IChatClient Client { get; }

    public List<BudgetSettlement> Settlements { get; } = [];

    public List<BudgetCommitFailure> CommitFailures { get; } = [];

    public BudgetSettlement SingleSettlement => Assert.Single(Settlements);

    public static List<ChatMessage> Prompt() =>
    [
        new(ChatRole.System, "You answer in one sentence."),
        new(ChatRole.User, "What is a budget?") { AuthorName = "alice" },
    ];

    /// <summary>Reads a whole stream and returns its text.</summary>
    public async Task<string> ReadAllAsync(ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = "";
        await foreach (var update in Client.GetStreamingResponseAsync(Prompt(), options, cancellationToken))
        {
            text += update.Text;
        }

        return text;
    }
}
