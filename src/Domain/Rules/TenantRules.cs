using BudgetActors.Domain.Jobs;

namespace BudgetActors.Domain;

/// <summary>The rules of a tenant's settings: the tenant itself, its keys, its model prices, its job cost model.</summary>
public static class TenantRules
{
    public const int MaxNameLength = 256;
    public const int MaxKeyNameLength = 128;
    public const decimal MaxEnvironmentMultiplier = 100m;
    public static readonly IReadOnlyList<string> Encodings = ["o200k_base", "cl100k_base"];

    public static RequestErrors ValidateTenant(string? id, string? name, string? currency, string? timeZone, RequestErrors? errors = null)
    {
        errors ??= new();
        if (!Identifiers.IsId(id))
        {
            errors.Add("id", Identifiers.IdRule);
        }

        if (!Identifiers.IsText(name, MaxNameLength))
        {
            errors.Add("name", $"Must be 1–{MaxNameLength} characters without control characters.");
        }

        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add("currency", "Must be an ISO 4217 code of three capital letters, such as USD.");
        }

        if (timeZone is null || !PeriodCalendar.IsKnownTimeZone(timeZone))
        {
            errors.Add("timezone", $"Unknown IANA time zone '{timeZone}'.");
        }

        return errors;
    }

    public static RequestErrors ValidateKey(ApiKeyRole role, string? name, RequestErrors? errors = null)
    {
        errors ??= new();
        if (role is not (ApiKeyRole.Service or ApiKeyRole.TenantAdmin))
        {
            errors.Add("role", "Tenant keys are 'service' or 'tenant-admin'.");
        }

        // An empty name is allowed: keys need not be named.
        if (name is null || (name.Length > 0 && !Identifiers.IsText(name, MaxKeyNameLength)))
        {
            errors.Add("name", $"Must be at most {MaxKeyNameLength} characters without control characters.");
        }

        return errors;
    }

    /// <summary>A tenant's price for a model (or for unknown models, <c>*</c>), per million tokens.</summary>
    public static RequestErrors ValidatePrice(ModelPrice? price, RequestErrors? errors = null)
    {
        errors ??= new();
        if (price is null)
        {
            errors.Add("body", "Required: { input, output, cachedInput?, cacheWrite?, reasoning?, encoding? }.");
            return errors;
        }

        if (price.Model != "*")
        {
            RequestRules.Model(price.Model, "model", errors);
        }

        RequestRules.Quantity(price.Input, "input", errors);
        RequestRules.Quantity(price.Output, "output", errors);
        Optional(price.CachedInput, "cachedInput", errors);
        Optional(price.CacheWrite, "cacheWrite", errors);
        Optional(price.Reasoning, "reasoning", errors);
        if (price.Encoding is { } encoding && !Encodings.Contains(encoding))
        {
            errors.Add("encoding", "One of: o200k_base, cl100k_base (or leave it out for the documented estimate).");
        }

        return errors;
    }

    /// <summary>A job cost model: unit prices 0 … 10^12, queue and environment names of the attribute alphabet, multipliers in (0, 100].</summary>
    public static RequestErrors ValidateCostModel(JobCostModel? model, RequestErrors? errors = null)
    {
        errors ??= new();
        if (model is null)
        {
            errors.Add("body", "Required: { default?, queues?, environments? }.");
            return errors;
        }

        Weights(model.Default, "default", errors);
        if (model.Queues is null)
        {
            errors.Add("queues", "Required (an empty object for none).");
        }
        else
        {
            foreach (var (queue, weights) in model.Queues)
            {
                Name(queue, "queues", errors);
                Weights(weights, $"queues.{queue}", errors);
            }
        }

        if (model.Environments is null)
        {
            errors.Add("environments", "Required (an empty object for none).");
        }
        else
        {
            foreach (var (environment, multiplier) in model.Environments)
            {
                Name(environment, "environments", errors);
                if (multiplier <= 0m || multiplier > MaxEnvironmentMultiplier)
                {
                    errors.Add($"environments.{environment}", $"Must be a multiplier above 0 and at most {MaxEnvironmentMultiplier}.");
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// Weights fitted to bills must be weights a cost model can hold (0 … 10^12 each); bills that only
    /// fit with larger ones are reported on <paramref name="field"/>, the samples, not on a weight the
    /// caller never sent.
    /// </summary>
    public static void FittedWeights(JobCostWeights weights, string field, RequestErrors errors)
    {
        var fitted = new RequestErrors();
        Weights(weights, "fitted", fitted);
        if (!fitted.IsEmpty)
        {
            errors.Add(field, "These bills fit only with a unit price outside 0 … 10^12 (too large for the resources measured, or "
                + "divided by a tiny environment multiplier); check the samples' units.");
        }
    }

    private static void Weights(JobCostWeights? weights, string field, RequestErrors errors)
    {
        if (weights is null)
        {
            errors.Add(field, "Must be an object of unit prices: { cpuSecond, memoryMbSecond, payloadKb, storeOperation, networkMb, basePerJob }.");
            return;
        }

        RequestRules.Quantity(weights.CpuSecond, field + ".cpuSecond", errors);
        RequestRules.Quantity(weights.MemoryMbSecond, field + ".memoryMbSecond", errors);
        RequestRules.Quantity(weights.PayloadKb, field + ".payloadKb", errors);
        RequestRules.Quantity(weights.StoreOperation, field + ".storeOperation", errors);
        RequestRules.Quantity(weights.NetworkMb, field + ".networkMb", errors);
        RequestRules.Quantity(weights.BasePerJob, field + ".basePerJob", errors);
    }

    private static void Name(string name, string field, RequestErrors errors)
    {
        if (!Identifiers.IsAttributeValue(name))
        {
            errors.Add(field, $"'{name}': {Identifiers.AttributeValueRule}");
        }
    }

    private static void Optional(decimal? value, string field, RequestErrors errors)
    {
        if (value is { } v)
        {
            RequestRules.Quantity(v, field, errors);
        }
    }
}
