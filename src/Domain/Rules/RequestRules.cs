using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace BudgetActors.Domain;

/// <summary>
/// The rules every admission request must follow, whichever door it comes through (HTTP, the
/// admission grain of job workers, the chat middleware's grain client). Each check adds what is
/// wrong to a <see cref="RequestErrors"/> under the API's field names; a request with errors is
/// refused before anything is priced, held or recorded.
/// </summary>
public static class RequestRules
{
    public const decimal MaxCost = 1_000_000_000_000m; // 10^12
    public const long MaxCount = 1_000_000_000_000_000; // 10^15
    public const int MaxPriority = 1000;
    public const int MinPriority = -MaxPriority;

    /// <summary>How far in the future a usage's timestamp may lie (clocks differ a little).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    public const long MaxOutputTokens = 10_000_000;
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);

    public static readonly ImmutableSortedSet<string> Roles = ImmutableSortedSet.Create(StringComparer.Ordinal,
        "assistant", "developer", "system", "tool", "user");

    public static readonly ImmutableArray<string> Tiers = ["standard", "batch", "flex", "priority"];

    public static RequestErrors Validate(CheckRequest request, RequestErrors? errors = null)
    {
        errors ??= new();
        Attributes(request.Attributes, "attributes", errors);
        Estimate(request.Estimate, errors);
        Priority(request.Priority, errors);
        return errors;
    }

    public static RequestErrors Validate(ReserveRequest request, RequestErrors? errors = null)
    {
        errors ??= new();
        if (request.IdempotencyKey is not null)
        {
            IdempotencyKey(request.IdempotencyKey, errors);
        }

        Attributes(request.Attributes, "attributes", errors);
        Estimate(request.Estimate, errors);
        if (request.Ttl < MinTtl || request.Ttl > MaxTtl || request.Ttl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add("ttlSeconds", $"Must be a whole number of seconds from 1 to {(long)MaxTtl.TotalSeconds}.");
        }

        Priority(request.Priority, errors);
        return errors;
    }

    public static RequestErrors Validate(string? reservationId, CommitRequest request, RequestErrors? errors = null)
    {
        errors ??= ReservationId(reservationId);
        if (request.Actual is null)
        {
            errors.Add("actual", "Required: 'actual', 'llmUsage' or 'jobUsage'.");
        }
        else
        {
            Actual(request.Actual, errors);
        }

        return errors;
    }

    /// <param name="now">The business clock's now: a timestamp more than <see cref="MaxClockSkew"/> after it is refused.</param>
    public static RequestErrors Validate(UsageRequest request, DateTimeOffset now, RequestErrors? errors = null)
    {
        errors ??= new();
        if (request.Timestamp is { } at && at > now + MaxClockSkew)
        {
            errors.Add("timestamp", $"More than {MaxClockSkew.TotalMinutes:0} minutes in the future: spend is recorded when it happened.");
        }

        if (request.IdempotencyKey is null)
        {
            errors.Add("idempotencyKey", "Required: retries with the same key are counted once.");
        }
        else
        {
            IdempotencyKey(request.IdempotencyKey, errors);
        }

        Attributes(request.Attributes, "attributes", errors);
        if (request.Actual is null)
        {
            errors.Add("actual", "Required: 'actual', 'llmUsage' or 'jobUsage'.");
        }
        else
        {
            Actual(request.Actual, errors);
        }

        return errors;
    }

    public static RequestErrors ReservationId(string? reservationId, RequestErrors? errors = null)
    {
        errors ??= new();
        if (!Identifiers.IsId(reservationId))
        {
            errors.Add("reservationId", Identifiers.IdRule);
        }

        return errors;
    }

    /// <summary>
    /// A request's amount once priced: whatever the way it was stated, a request may not cost more
    /// than 10^12 or count more than 10^15 tokens or operations (the bounds of a stated amount).
    /// </summary>
    public static void PricedAmount(Amount amount, string field, RequestErrors errors)
    {
        if (amount.Cost > MaxCost)
        {
            var price = amount.Cost >= Jobs.JobCostCalculator.Beyond ? "more than decimal holds" : amount.Cost.ToString(CultureInfo.InvariantCulture);
            errors.Add(field, $"Prices at {price}, more than the 10^12 one request may cost.");
        }

        if (amount.Tokens > MaxCount)
        {
            errors.Add(field, $"Counts {amount.Tokens.ToString(CultureInfo.InvariantCulture)} tokens, more than the 10^15 one request may count.");
        }
    }

    /// <summary>Usage attributes: known names, values of the attribute alphabet.</summary>
    public static void Attributes(IReadOnlyDictionary<string, string>? attributes, string field, RequestErrors errors)
    {
        if (attributes is null)
        {
            errors.Add(field, "Required (an empty object for none).");
            return;
        }

        foreach (var (name, value) in attributes)
        {
            if (!Identifiers.AttributeNames.Contains(name))
            {
                errors.Add($"{field}.{name}", $"Unknown attribute; use one of: {string.Join(", ", Identifiers.AttributeNames)}.");
            }
            else if (!Identifiers.IsAttributeValue(value))
            {
                errors.Add($"{field}.{name}", Identifiers.AttributeValueRule);
            }
        }
    }

    public static void IdempotencyKey(string key, RequestErrors errors)
    {
        if (!Identifiers.IsIdempotencyKey(key))
        {
            errors.Add("idempotencyKey", Identifiers.IdempotencyKeyRule);
        }
    }

    public static void Priority(int priority, RequestErrors errors)
    {
        if (priority < -MaxPriority || priority > MaxPriority)
        {
            errors.Add("priority", $"Must be a whole number from -{MaxPriority} to {MaxPriority}.");
        }
    }

    /// <summary>What a check or reservation asks for: an <c>estimate</c> or an <c>llm</c> call.</summary>
    public static void Estimate(AmountSpec? spec, RequestErrors errors)
    {
        switch (spec)
        {
            case null:
                errors.Add("estimate", "Required: 'estimate' or 'llm'.");
                break;
            case ExplicitAmount explicitAmount:
                Amount(explicitAmount.Amount, "estimate", errors);
                break;
            case LlmEstimate llm:
                Llm(llm, "llm", errors);
                break;
            default:
                errors.Add("estimate", $"An estimate is stated as 'estimate' or 'llm', not as {FieldOf(spec)}.");
                break;
        }
    }

    /// <summary>What was spent: an <c>actual</c> amount, an <c>llmUsage</c> or a <c>jobUsage</c>.</summary>
    public static void Actual(AmountSpec spec, RequestErrors errors)
    {
        switch (spec)
        {
            case ExplicitAmount explicitAmount:
                Amount(explicitAmount.Amount, "actual", errors);
                break;
            case BudgetActors.LlmUsage usage:
                LlmUsage(usage, "llmUsage", errors);
                break;
            case BudgetActors.JobUsage job:
                JobUsage(job, "jobUsage", errors);
                break;
            default:
                errors.Add("actual", $"Spend is stated as 'actual', 'llmUsage' or 'jobUsage', not as {FieldOf(spec)}.");
                break;
        }
    }

    /// <summary>The API's name of the field that states an amount of this kind.</summary>
    public static string FieldOf(AmountSpec spec) => spec switch
    {
        LlmEstimate => "llm",
        BudgetActors.LlmUsage => "llmUsage",
        BudgetActors.JobUsage => "jobUsage",
        _ => "an explicit amount",
    };

    /// <summary>An explicit amount: cost 0 … 10^12, tokens and operations 0 … 10^15.</summary>
    public static void Amount(Amount? amount, string field, RequestErrors errors)
    {
        if (amount is null)
        {
            errors.Add(field, "Required: { cost?, tokens?, operations? }.");
            return;
        }

        // Field names are built only for a field at fault: every admitted request passes here.
        if (!IsCost(amount.Cost))
        {
            Cost(amount.Cost, field + ".cost", errors);
        }

        if (!IsCount(amount.Tokens))
        {
            Count(amount.Tokens, field + ".tokens", errors);
        }

        if (!IsCount(amount.Operations))
        {
            Count(amount.Operations, field + ".operations", errors);
        }
    }

    private static bool IsCost(decimal cost) => cost is >= 0m and <= MaxCost;

    private static bool IsCount(long count) => count is >= 0 and <= MaxCount;

    public static void Cost(decimal cost, string field, RequestErrors errors)
    {
        if (!IsCost(cost))
        {
            errors.Add(field, "Must be a number from 0 to 10^12.");
        }
    }

    public static void Count(long count, string field, RequestErrors errors)
    {
        if (!IsCount(count))
        {
            errors.Add(field, "Must be a whole number from 0 to 10^15.");
        }
    }

    /// <summary>A measured quantity (seconds, MB·s, a unit price): 0 … 10^12, exact decimal.</summary>
    public static void Quantity(decimal quantity, string field, RequestErrors errors)
    {
        if (quantity < 0m || quantity > MaxCost)
        {
            errors.Add(field, "Must be a number from 0 to 10^12.");
        }
    }

    /// <summary>An LLM call before it happens: a model, chat messages or a prompt, the output cap, tools. <paramref name="field"/> is "" when the call is the whole body.</summary>
    public static void Llm(LlmEstimate llm, string field, RequestErrors errors)
    {
        Model(llm.Model, Member(field, "model"), errors);
        var hasMessages = !llm.Messages.IsDefaultOrEmpty;
        if (hasMessages == (llm.Prompt is not null))
        {
            errors.Add(Whole(field), "Give exactly one of 'messages' and 'prompt'.");
        }

        if (hasMessages)
        {
            for (var i = 0; i < llm.Messages.Length; i++)
            {
                var at = Member(field, $"messages[{i}]");
                if (llm.Messages[i] is not { } message)
                {
                    errors.Add(at, "Must be a message: { role, content, name? }.");
                    continue;
                }

                if (message.Role is null || !Roles.Contains(message.Role))
                {
                    errors.Add(at + ".role", $"One of: {string.Join(", ", Roles)}.");
                }

                if (message.Content is null)
                {
                    errors.Add(at + ".content", "Required: the message's text.");
                }

                if (message.Name is not null && !Identifiers.IsText(message.Name, 256))
                {
                    errors.Add(at + ".name", "Must be 1–256 characters without control characters.");
                }
            }
        }

        if (llm.MaxOutputTokens < 0 || llm.MaxOutputTokens > MaxOutputTokens)
        {
            errors.Add(Member(field, "maxOutputTokens"), $"Required: a whole number from 0 to {MaxOutputTokens}.");
        }

        if (!llm.Tools.IsDefaultOrEmpty && llm.Tools.Any(tool => !IsJsonObject(tool)))
        {
            errors.Add(Member(field, "tools"), "Must be an array of tool or function definitions (objects).");
        }

        Tier(llm.Tier, Member(field, "tier"), errors);
    }

    /// <summary>The name of member <paramref name="name"/> of <paramref name="parent"/>: a body's own members (parent "") are named as they are sent.</summary>
    public static string Member(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    /// <summary>The name of an object as a whole: <c>body</c> when it is the body itself.</summary>
    public static string Whole(string field) => field.Length == 0 ? "body" : field;

    /// <summary>What an LLM call used, as its provider reported it (OpenAI or Anthropic shape).</summary>
    public static void LlmUsage(LlmUsage usage, string field, RequestErrors errors)
    {
        Model(usage.Model, field + ".model", errors);
        Count(usage.InputTokens, field + ".inputTokens", errors);
        Count(usage.OutputTokens, field + ".outputTokens", errors);
        Count(usage.CachedInputTokens, field + ".cachedInputTokens", errors);
        Count(usage.CacheWriteTokens, field + ".cacheWriteTokens", errors);
        Count(usage.CacheWrite1hTokens, field + ".cacheWrite1hTokens", errors);
        Count(usage.ReasoningTokens, field + ".reasoningTokens", errors);
        if (usage.Shape is { } shape && !Enum.IsDefined(shape))
        {
            errors.Add(field + ".shape", "One of: openai (cached tokens inside inputTokens), anthropic (outside).");
        }

        Tier(usage.Tier, field + ".tier", errors);
    }

    /// <summary>The resources of a job; none may be negative.</summary>
    public static void JobUsage(JobUsage job, string field, RequestErrors errors)
    {
        Quantity(job.CpuSeconds, field + ".cpuSeconds", errors);
        Quantity(job.MemoryMbSeconds, field + ".memoryMbSeconds", errors);
        Count(job.PayloadBytes, field + ".payloadBytes", errors);
        Count(job.Ops, field + ".ops", errors);
        Count(job.NetworkBytes, field + ".networkBytes", errors);
    }

    /// <summary>A model id, with a provider prefix or a dated snapshot as the caller knows it.</summary>
    public static void Model(string? model, string field, RequestErrors errors)
    {
        if (model is null)
        {
            errors.Add(field, "Required: the model id, such as gpt-4o or claude-sonnet-4-5.");
        }
        else if (!Identifiers.IsAttributeValue(model))
        {
            errors.Add(field, Identifiers.AttributeValueRule);
        }
    }

    private static void Tier(string? tier, string field, RequestErrors errors)
    {
        if (tier is not null && !Tiers.Contains(tier))
        {
            errors.Add(field, $"One of: {string.Join(", ", Tiers)}.");
        }
    }

    private static bool IsJsonObject(string? text)
    {
        if (text is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
