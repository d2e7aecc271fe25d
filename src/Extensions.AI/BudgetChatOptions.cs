using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI;

/// <summary>How <see cref="BudgetChatClient"/> reserves, names and settles the budget of each chat call.</summary>
/// <remarks>The options are read on every call; change them before the client is in use.</remarks>
public sealed class BudgetChatOptions
{
    /// <summary>
    /// The key of <see cref="ChatOptions.AdditionalProperties"/> under which a call may carry its own
    /// attributes (an <c>IEnumerable&lt;KeyValuePair&lt;string, string&gt;&gt;</c>, e.g. a dictionary). The
    /// middleware removes it before the call goes to the model. See <see cref="ChatOptionsBudgetExtensions.WithBudgetAttributes"/>.
    /// </summary>
    public const string AttributesKey = "BudgetActors.Attributes";

    /// <summary>The tenant whose budgets apply.</summary>
    public required string Tenant { get; init; }

    /// <summary>Attributes of every call (e.g. <c>environment</c>, <c>project</c>); per-call sources override them.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// Attributes computed per call (e.g. the signed-in <c>user</c>); override <see cref="Attributes"/> and
    /// are overridden by those in <see cref="ChatOptions.AdditionalProperties"/>.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, IReadOnlyDictionary<string, string>?>? AttributesProvider { get; set; }

    /// <summary>Adds the requested model as the <c>model</c> attribute (if it is a valid attribute value and no other source set one).</summary>
    public bool AddModelAttribute { get; set; } = true;

    /// <summary>
    /// The output allowance of the estimate when <see cref="ChatOptions.MaxOutputTokens"/> is not set: the
    /// reservation holds the prompt plus this many output tokens. It is only sent to the model when
    /// <see cref="ApplyDefaultMaxOutputTokens"/> is on.
    /// </summary>
    public int DefaultMaxOutputTokens { get; set; } = 1024;

    /// <summary>
    /// Off (the default): estimating does not change what the model is asked. A call without
    /// <see cref="ChatOptions.MaxOutputTokens"/> reserves <see cref="DefaultMaxOutputTokens"/> of output,
    /// but goes to the model without a limit (its options are passed on as the caller gave them), so the
    /// model's own limit applies; an answer longer than the allowance is committed as it is, past the hold
    /// (spend that happened is never refused).
    /// On: <see cref="DefaultMaxOutputTokens"/> is also set as the call's <see cref="ChatOptions.MaxOutputTokens"/>
    /// (on a copy of the caller's options), so that the hold really bounds the answer, at the price of
    /// answers cut off at that length.
    /// </summary>
    public bool ApplyDefaultMaxOutputTokens { get; set; }

    /// <summary>The model when neither <see cref="ChatOptions.ModelId"/> nor the inner client's <see cref="ChatClientMetadata"/> names one.</summary>
    public string? DefaultModelId { get; set; }

    /// <summary>How long a hold lasts if the process dies before committing or releasing it.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Admission priority (-1000 … 1000) of the reservations.</summary>
    public int Priority { get; set; }

    /// <summary>
    /// The idempotency key of each reservation (null: none). The default is a new random key per call, so
    /// that a reservation retried by the transport is held once, and so that the middleware can find a
    /// reservation whose answer was lost (the service answers a retried key with the same reservation) and
    /// release it. Without a key such a hold stays until it expires. After a downgrade the replacement
    /// reservation's key is derived from this one (<c>{key}~{model}</c>).
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, string?> IdempotencyKeyFactory { get; set; } =
        static (_, _) => "chat-" + Guid.NewGuid().ToString("N");

    /// <summary>On a <c>downgrade</c> decision that names a model, call that model instead of the requested one.</summary>
    public bool HonorDowngrade { get; set; } = true;

    /// <summary>
    /// How the inner client fills <see cref="UsageDetails"/>. Microsoft.Extensions.AI's convention counts cached
    /// input inside <see cref="UsageDetails.InputTokenCount"/>, which is <see cref="LlmUsageShape.OpenAI"/>; use
    /// <see cref="LlmUsageShape.Anthropic"/> for an adapter that reports cached input outside it.
    /// </summary>
    public LlmUsageShape UsageShape { get; set; } = LlmUsageShape.OpenAI;

    /// <summary>Keys of <see cref="UsageDetails.AdditionalCounts"/> that hold cache-write input tokens; the first present wins.</summary>
    public IReadOnlyList<string> CacheWriteCountKeys { get; set; } = ["CacheCreationInputTokens", "cache_creation_input_tokens"];

    /// <summary>Service tier sent with estimates and usage (null: the provider's standard tier).</summary>
    public string? Tier { get; set; }

    /// <summary>Send the chat's tool definitions as part of the estimate (the grain client carries them; API.md has no field for them yet).</summary>
    public bool CountToolDefinitions { get; set; } = true;

    /// <summary>
    /// The budget calls after the model call (commit, release) run on their own token with this timeout,
    /// not on the caller's: a cancelled call must still settle its reservation. It also bounds each step of
    /// cleaning up a reservation the caller never saw the answer of (waiting for that answer, asking again
    /// by its idempotency key, releasing it).
    /// </summary>
    public TimeSpan SettlementTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Called once per reserved call when it is settled (committed, released, or failed to).</summary>
    public Action<BudgetSettlement>? OnSettled { get; set; }

    /// <summary>
    /// Called when a commit failed twice (first try and one retry). The response has been delivered; the
    /// hold still covers the estimate until it expires; after that the spend is known only to this callback
    /// (record it with <c>POST /usage</c> and an idempotency key, or alert).
    /// </summary>
    public Action<BudgetCommitFailure>? OnCommitFailed { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Tenant))
        {
            throw new ArgumentException("BudgetChatOptions.Tenant is required.");
        }

        if (DefaultMaxOutputTokens <= 0)
        {
            throw new ArgumentException("BudgetChatOptions.DefaultMaxOutputTokens must be positive.");
        }

        if (ReservationTtl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("BudgetChatOptions.ReservationTtl must be at least one second.");
        }

        if (SettlementTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("BudgetChatOptions.SettlementTimeout must be positive.");
        }
    }
}
