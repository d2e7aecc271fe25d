using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BudgetActors.ApiHost.Http;

/// <summary>
/// Checks the fields of one request and collects every error, so that a client learns all that is
/// wrong at once. <see cref="ThrowIfInvalid"/> refuses the request before anything is changed.
/// </summary>
public sealed partial class RequestValidator
{
    public const decimal MaxCost = 1_000_000_000_000m; // 10^12
    public const long MaxCount = 1_000_000_000_000_000; // 10^15
    public const int MaxTtlSeconds = 7 * 24 * 3600;
    public const int MaxPriority = 1000;

    public static readonly ImmutableHashSet<string> AttributeNames =
        ["user", "project", "queue", "model", "agent", "workflow", "category", "session", "environment"];

    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public void Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw ApiProblem.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }

    /// <summary>A tenant, budget, key or reservation id: 1–128 characters of [A-Za-z0-9._:@-].</summary>
    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    public string Id(string? value, string field)
    {
        if (value is null)
        {
            Error(field, "Required.");
        }
        else if (!IsId(value))
        {
            Error(field, "Must be 1–128 characters of A–Z, a–z, 0–9 and . _ : @ -.");
        }

        return value ?? "";
    }

    public string? OptionalText(string? value, string field, int maxLength)
    {
        if (value is not null && (value.Length == 0 || value.Length > maxLength || value.Any(char.IsControl)))
        {
            Error(field, $"Must be 1–{maxLength} characters without control characters.");
        }

        return value;
    }

    /// <summary>An idempotency key: 1–256 printable ASCII characters.</summary>
    public string? IdempotencyKey(string? value, string field, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Error(field, "Required: retries with the same key are counted once.");
            }
        }
        else if (!IdempotencyKeyPattern().IsMatch(value))
        {
            Error(field, "Must be 1–256 printable ASCII characters.");
        }

        return value;
    }

    /// <summary>Usage attributes; in a budget's scope (<paramref name="scope"/>) a value may end with '*'.</summary>
    public ImmutableSortedDictionary<string, string> Attributes(Dictionary<string, string>? attributes, string field, bool scope = false)
    {
        if (attributes is null)
        {
            return ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        }

        foreach (var (name, value) in attributes)
        {
            if (!AttributeNames.Contains(name))
            {
                Error($"{field}.{name}", $"Unknown attribute; use one of: {string.Join(", ", AttributeNames.Order())}.");
            }
            else if (value is null)
            {
                Error($"{field}.{name}", "Must be a string.");
            }
            else if (!(scope && value.EndsWith('*') ? ScopeValueIsValid(value) : AttributeValuePattern().IsMatch(value)))
            {
                Error($"{field}.{name}", scope
                    ? "Must be 1–256 characters of A–Z, a–z, 0–9 and . _ : @ / + -, optionally ending in * (prefix match)."
                    : "Must be 1–256 characters of A–Z, a–z, 0–9 and . _ : @ / + -.");
            }
        }

        return attributes.Where(a => a.Value is not null).ToImmutableSortedDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
    }

    /// <summary>A value that an attribute may take (a queue, an environment, a model).</summary>
    public string AttributeValue(string value, string field)
    {
        if (!AttributeValuePattern().IsMatch(value))
        {
            Error(field, "Must be 1–256 characters of A–Z, a–z, 0–9 and . _ : @ / + -.");
        }

        return value;
    }

    public decimal? Cost(decimal? value, string field)
    {
        if (value is { } v && (v < 0 || v > MaxCost))
        {
            Error(field, "Must be a number from 0 to 10^12.");
        }

        return value is { } c ? BudgetActors.Amount.RoundCost(c) : null;
    }

    public long? Count(long? value, string field)
    {
        if (value is { } v && (v < 0 || v > MaxCount))
        {
            Error(field, "Must be a whole number from 0 to 10^15.");
        }

        return value;
    }

    /// <summary>An explicit amount; operations default to 1 (one call, one job).</summary>
    public Amount Amount(AmountBody body, string field) => new(
        Cost(body.Cost, field + ".cost") ?? 0m,
        Count(body.Tokens, field + ".tokens") ?? 0,
        Count(body.Operations, field + ".operations") ?? 1);

    /// <summary>
    /// Exactly one way of stating an amount. Only explicit amounts can be priced by this version; the
    /// others are refused with a clear message rather than guessed at.
    /// </summary>
    public AmountSpec AmountSpec(string field, AmountBody? explicitAmount, params (string Field, JsonElement? Value)[] others)
    {
        var given = others.Where(o => o.Value is { ValueKind: not JsonValueKind.Null }).Select(o => o.Field).ToList();
        if (explicitAmount is not null)
        {
            given.Insert(0, field);
        }

        if (given.Count != 1)
        {
            var all = string.Join(", ", new[] { field }.Concat(others.Select(o => o.Field)).Select(f => $"'{f}'"));
            Error(given.Count == 0 ? field : given[1], $"Give exactly one of {all}.");
            return new ExplicitAmount(BudgetActors.Amount.Zero);
        }

        if (explicitAmount is not null)
        {
            return new ExplicitAmount(Amount(explicitAmount, field));
        }

        var (kind, element) = others.First(o => o.Field == given[0]);
        return kind switch
        {
            "jobUsage" => JobUsage(JsonBody.ReadElement<JobUsageBody>(element!.Value, kind), kind),
            "llm" => Llm(JsonBody.ReadElement<LlmBody>(element!.Value, kind), kind),
            "llmUsage" => LlmUsage(JsonBody.ReadElement<LlmUsageBody>(element!.Value, kind), kind),
            _ => throw new InvalidOperationException($"No reader for amounts of kind '{kind}'."),
        };
    }

    public static readonly ImmutableHashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];
    public static readonly ImmutableArray<string> Tiers = ["standard", "batch", "flex", "priority"];
    public const long MaxOutputTokens = 10_000_000;

    /// <summary>An LLM call before it happens: a model, chat messages or a prompt, the output cap, tools.</summary>
    public LlmEstimate Llm(LlmBody body, string field)
    {
        var model = Model(body.Model, field + ".model");
        if ((body.Messages is null) == (body.Prompt is null))
        {
            Error(field, "Give exactly one of 'messages' and 'prompt'.");
        }

        var messages = ImmutableArray.CreateBuilder<PromptMessage>();
        foreach (var (message, i) in (body.Messages ?? []).Select((m, i) => (m, i)))
        {
            var at = $"{field}.messages[{i}]";
            if (message.Role is null || !Roles.Contains(message.Role))
            {
                Error(at + ".role", $"One of: {string.Join(", ", Roles.Order())}.");
            }

            if (message.Content is null)
            {
                Error(at + ".content", "Required: the message's text.");
            }

            messages.Add(new PromptMessage(message.Role ?? "", message.Content ?? "", OptionalText(message.Name, at + ".name", 256)));
        }

        if (body.MaxOutputTokens is not { } maxOutput || maxOutput < 0 || maxOutput > MaxOutputTokens)
        {
            Error(field + ".maxOutputTokens", $"Required: a whole number from 0 to {MaxOutputTokens}.");
        }

        var tools = ImmutableArray<string>.Empty;
        if (body.Tools is { ValueKind: not JsonValueKind.Null } toolList)
        {
            if (toolList.ValueKind != JsonValueKind.Array || toolList.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.Object))
            {
                Error(field + ".tools", "Must be an array of tool or function definitions (objects).");
            }
            else
            {
                tools = [.. toolList.EnumerateArray().Select(t => t.GetRawText())];
            }
        }

        return new LlmEstimate(model, messages.ToImmutable(), body.Prompt, body.MaxOutputTokens ?? 0, tools, Tier(body.Tier, field + ".tier"));
    }

    /// <summary>What an LLM call used, as its provider reported it (OpenAI or Anthropic shape).</summary>
    public LlmUsage LlmUsage(LlmUsageBody body, string field)
    {
        var model = Model(body.Model, field + ".model");
        foreach (var (value, name) in new[] { (body.InputTokens, "inputTokens"), (body.OutputTokens, "outputTokens") })
        {
            if (value is null)
            {
                Error($"{field}.{name}", "Required.");
            }
        }

        var shape = body.Shape switch
        {
            null => (LlmUsageShape?)null,
            "openai" => LlmUsageShape.OpenAI,
            "anthropic" => LlmUsageShape.Anthropic,
            _ => Invalid<LlmUsageShape?>(field + ".shape", "One of: openai (cached tokens inside inputTokens), anthropic (outside)."),
        };
        return new LlmUsage(model,
            Count(body.InputTokens, field + ".inputTokens") ?? 0,
            Count(body.OutputTokens, field + ".outputTokens") ?? 0,
            Count(body.CachedInputTokens, field + ".cachedInputTokens") ?? 0,
            Count(body.CacheWriteTokens, field + ".cacheWriteTokens") ?? 0,
            Count(body.ReasoningTokens, field + ".reasoningTokens") ?? 0,
            shape,
            Tier(body.Tier, field + ".tier"),
            Count(body.CacheWrite1hTokens, field + ".cacheWrite1hTokens") ?? 0);
    }

    /// <summary>A model id, with a provider prefix or a dated snapshot as the caller knows it.</summary>
    public string Model(string? model, string field)
    {
        if (model is null)
        {
            Error(field, "Required: the model id, such as gpt-4o or claude-sonnet-4-5.");
            return "";
        }

        return AttributeValue(model, field);
    }

    private string? Tier(string? tier, string field) =>
        tier is null || Tiers.Contains(tier) ? tier : Invalid<string?>(field, $"One of: {string.Join(", ", Tiers)}.");

    private T Invalid<T>(string field, string message)
    {
        Error(field, message);
        return default!;
    }

    /// <summary>The resources of a job; each is optional (0) and none may be negative.</summary>
    public JobUsage JobUsage(JobUsageBody body, string field)
    {
        var job = new JobUsage(
            Quantity(body.CpuSeconds, field + ".cpuSeconds") ?? 0m,
            Quantity(body.MemoryMbSeconds, field + ".memoryMbSeconds") ?? 0m,
            Count(body.PayloadBytes, field + ".payloadBytes") ?? 0,
            Count(body.Ops, field + ".ops") ?? 0,
            Count(body.NetworkBytes, field + ".networkBytes") ?? 0);
        return job;
    }

    /// <summary>A measured quantity (seconds, MB·s): 0 … 10^12, exact decimal.</summary>
    public decimal? Quantity(decimal? value, string field)
    {
        if (value is { } v && (v < 0 || v > MaxCost))
        {
            Error(field, "Must be a number from 0 to 10^12.");
        }

        return value;
    }

    public int Priority(int? value, string field)
    {
        if (value is { } p && (p < -MaxPriority || p > MaxPriority))
        {
            Error(field, $"Must be a whole number from -{MaxPriority} to {MaxPriority}.");
        }

        return value ?? 0;
    }

    public TimeSpan Ttl(int? seconds, string field)
    {
        if (seconds is { } s && (s < 1 || s > MaxTtlSeconds))
        {
            Error(field, $"Must be a whole number of seconds from 1 to {MaxTtlSeconds}.");
        }

        return TimeSpan.FromSeconds(seconds ?? 300);
    }

    public T? Enum<T>(string? value, string field, bool required) where T : struct, System.Enum
    {
        if (value is null)
        {
            if (required)
            {
                Error(field, $"Required; one of: {string.Join(", ", Names<T>())}.");
            }

            return null;
        }

        foreach (var candidate in System.Enum.GetValues<T>())
        {
            if (JsonNamingPolicy.KebabCaseLower.ConvertName(candidate.ToString()) == value)
            {
                return candidate;
            }
        }

        Error(field, $"Unknown value '{value}'; one of: {string.Join(", ", Names<T>())}.");
        return null;
    }

    public static IEnumerable<string> Names<T>() where T : struct, System.Enum =>
        System.Enum.GetValues<T>().Select(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    private static bool ScopeValueIsValid(string value) =>
        value.Length <= 256 && (value.Length == 1 || AttributeValuePattern().IsMatch(value[..^1]));

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}\\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9._:@/+-]{1,256}\\z")]
    private static partial Regex AttributeValuePattern();

    [GeneratedRegex("^[\\x21-\\x7E]{1,256}\\z")]
    private static partial Regex IdempotencyKeyPattern();
}
