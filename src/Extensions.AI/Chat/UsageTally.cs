using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI;

/// <summary>
/// What a call has produced so far: the usage the provider reported (summed over every
/// <see cref="UsageContent"/> of a stream), the characters of output, the model that answered.
/// </summary>
internal sealed class UsageTally
{
    private UsageDetails? _usage;

    /// <summary>True once any update carried content (text, a function call, usage…): the provider has started answering.</summary>
    public bool HasOutput { get; private set; }

    public long OutputCharacters { get; private set; }

    /// <summary>The model the provider said answered, if it said.</summary>
    public string? ReportedModel { get; private set; }

    public void Observe(ChatResponseUpdate update)
    {
        ReportedModel = update.ModelId ?? ReportedModel;
        foreach (var content in update.Contents)
        {
            HasOutput = true;
            if (content is UsageContent { Details: var details })
            {
                AddUsage(details);
            }
            else
            {
                OutputCharacters += CallPlan.TextOf(content).Length;
            }
        }
    }

    public void Observe(ChatResponse response)
    {
        HasOutput = true;
        ReportedModel = response.ModelId ?? ReportedModel;
        if (response.Usage is { } usage)
        {
            AddUsage(usage);
        }

        foreach (var content in response.Messages.SelectMany(m => m.Contents))
        {
            if (content is UsageContent { Details: var details } && response.Usage is null)
            {
                AddUsage(details);
            }
            else
            {
                OutputCharacters += CallPlan.TextOf(content).Length;
            }
        }
    }

    /// <summary>
    /// The <c>llmUsage</c> to commit. Every count the provider reported is used as it is; a count it did not
    /// report is estimated — input as <paramref name="promptTokens"/> (the reservation's count of the prompt),
    /// output from the characters produced — and <c>Estimated</c> says so.
    /// </summary>
    public (LlmUsage Usage, bool Estimated) ToLlmUsage(string model, long promptTokens, BudgetChatOptions options)
    {
        var input = _usage?.InputTokenCount;
        var output = _usage?.OutputTokenCount;
        var usage = new LlmUsage(
            model,
            input ?? promptTokens,
            output ?? TokenEstimate.FromCharacters(OutputCharacters),
            _usage?.CachedInputTokenCount ?? 0,
            CacheWrites(options),
            _usage?.ReasoningTokenCount ?? 0,
            options.UsageShape,
            options.Tier);
        return (usage, input is null || output is null);
    }

    private long CacheWrites(BudgetChatOptions options)
    {
        if (_usage?.AdditionalCounts is not { Count: > 0 } counts)
        {
            return 0;
        }

        foreach (var key in options.CacheWriteCountKeys)
        {
            if (counts.TryGetValue(key, out var value))
            {
                return value;
            }
        }

        return 0;
    }

    private void AddUsage(UsageDetails details)
    {
        _usage ??= new UsageDetails();
        _usage.Add(details);
    }
}
