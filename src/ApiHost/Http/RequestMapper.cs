using System.Collections.Immutable;
using System.Text.Json;
using BudgetActors.Domain;

namespace BudgetActors.ApiHost.Http;

/// <summary>
/// Maps the JSON bodies of the API onto the domain's requests: which fields are present, which way
/// an amount is stated, enum spellings, defaults. The rules on values (ranges, alphabets, required
/// ids) are the domain's (<see cref="RequestRules"/>, <see cref="BudgetRules"/>, <see cref="TenantRules"/>)
/// and run for every caller where the request is admitted; <see cref="ThrowIfInvalid"/> runs them here
/// too when mapping already failed, so that a client learns everything that is wrong at once.
/// </summary>
public sealed class RequestMapper
{
    public RequestErrors Errors { get; } = new();

    public void Error(string field, string message) => Errors.Add(field, message);

    /// <summary>
    /// Refuses the request when anything is wrong. Mapping errors are joined by the domain's own
    /// findings on the rest of the request (<paramref name="rules"/>); when mapping succeeded the rules
    /// are left to the door that admits the request, so they run once.
    /// </summary>
    public void ThrowIfInvalid(Action<RequestErrors>? rules = null)
    {
        if (!Errors.IsEmpty)
        {
            rules?.Invoke(Errors);
            ApiProblem.ThrowIfAny(Errors);
        }
    }

    /// <summary>A path id (tenant, budget, key, reservation): 1–128 characters of [A-Za-z0-9._:@-].</summary>
    public string Id(string? value, string field)
    {
        if (value is null)
        {
            Error(field, "Required.");
        }
        else if (!Identifiers.IsId(value))
        {
            Error(field, Identifiers.IdRule);
        }

        return value ?? "";
    }

    /// <summary>Attributes as sent (names and values are the domain's to judge); none is an empty set.</summary>
    public static ImmutableSortedDictionary<string, string> Attributes(Dictionary<string, string>? attributes) =>
        attributes is null
            ? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)
            : attributes.ToImmutableSortedDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    /// <summary>An explicit amount; operations default to 1 (one call, one job).</summary>
    public static Amount Amount(AmountBody body) => new(body.Cost ?? 0m, body.Tokens ?? 0, body.Operations ?? 1);

    /// <summary>Exactly one way of stating an amount: <paramref name="field"/> (explicit) or one of <paramref name="others"/>.</summary>
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
            return new ExplicitAmount(Amount(explicitAmount));
        }

        var (kind, element) = others.First(o => o.Field == given[0]);
        return kind switch
        {
            "jobUsage" => JobUsage(JsonBody.ReadElement<JobUsageBody>(element!.Value, kind)),
            "llm" => Llm(JsonBody.ReadElement<LlmBody>(element!.Value, kind), kind),
            "llmUsage" => LlmUsage(JsonBody.ReadElement<LlmUsageBody>(element!.Value, kind), kind),
            _ => throw new InvalidOperationException($"No reader for amounts of kind '{kind}'."),
        };
    }

    /// <summary>An LLM call before it happens: a model, chat messages or a prompt, the output cap, tools (<paramref name="field"/> "" for a whole body).</summary>
    public LlmEstimate Llm(LlmBody body, string field)
    {
        if (body.MaxOutputTokens is null)
        {
            Error(RequestRules.Member(field, "maxOutputTokens"), $"Required: a whole number from 0 to {RequestRules.MaxOutputTokens}.");
        }

        var tools = ImmutableArray<string>.Empty;
        if (body.Tools is { ValueKind: not JsonValueKind.Null } toolList)
        {
            if (toolList.ValueKind != JsonValueKind.Array || toolList.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.Object))
            {
                Error(RequestRules.Member(field, "tools"), "Must be an array of tool or function definitions (objects).");
            }
            else
            {
                tools = [.. toolList.EnumerateArray().Select(t => t.GetRawText())];
            }
        }

        var messages = body.Messages is null
            ? ImmutableArray<PromptMessage>.Empty
            : [.. body.Messages.Select(m => new PromptMessage(m.Role!, m.Content!, m.Name))];
        return new LlmEstimate(body.Model!, messages, body.Prompt, body.MaxOutputTokens ?? 0, tools, body.Tier);
    }

    /// <summary>What an LLM call used, as its provider reported it (OpenAI or Anthropic shape).</summary>
    public LlmUsage LlmUsage(LlmUsageBody body, string field)
    {
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
        return new LlmUsage(body.Model!, body.InputTokens ?? 0, body.OutputTokens ?? 0, body.CachedInputTokens ?? 0,
            body.CacheWriteTokens ?? 0, body.ReasoningTokens ?? 0, shape, body.Tier, body.CacheWrite1hTokens ?? 0);
    }

    /// <summary>The resources of a job; each is optional (0).</summary>
    public static JobUsage JobUsage(JobUsageBody body) => new(
        body.CpuSeconds ?? 0m, body.MemoryMbSeconds ?? 0m, body.PayloadBytes ?? 0, body.Ops ?? 0, body.NetworkBytes ?? 0);

    /// <summary>A reservation's time to live; 300 seconds unless given.</summary>
    public static TimeSpan Ttl(int? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : RequestRules.DefaultTtl;

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

    private T Invalid<T>(string field, string message)
    {
        Error(field, message);
        return default!;
    }
}
