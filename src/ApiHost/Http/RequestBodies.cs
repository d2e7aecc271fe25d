using System.Text.Json;

namespace BudgetActors.ApiHost.Http;

// The request bodies of API.md, as sent. Every property is nullable so that a missing field is
// reported by the validator with its name rather than by the parser; unknown fields are refused.

public sealed record CreateTenantBody(string? Id, string? Name, string? Currency, string? Timezone);

public sealed record CreateKeyBody(string? Role, string? Name);

public sealed record BudgetBody(
    Dictionary<string, string>? Scope,
    PeriodBody? Period,
    LimitsBody? Limits,
    ThresholdsBody? Thresholds,
    EnforcementBody? Enforcement,
    AlertsBody? Alerts = null,
    EmergencyBody? Emergency = null,
    CarryOverBody? CarryOver = null,
    RateLimitsBody? RateLimits = null,
    LimitsBody? PerRequest = null);

public sealed record CarryOverBody(bool? Unused, decimal? UnusedCap, bool? Overage);

public sealed record RateLimitsBody(int? RequestsPerMinute, long? TokensPerMinute);

public sealed record AlertsBody(List<decimal>? Thresholds, List<string>? Channels, int? CooldownMinutes, int? MaxPerHour, bool? Forecast, EscalationBody? Escalation);

public sealed record EscalationBody(int? AfterMinutes, List<string>? Channels);

public sealed record EmergencyBody(AmountBody? Amount, int? PerPeriod);

public sealed record PeriodBody(string? Type, string? Timezone, DateTimeOffset? Start = null, int? LengthMinutes = null, int? WindowMinutes = null);

public sealed record LimitsBody(decimal? Cost, long? Tokens, long? Operations);

public sealed record ThresholdsBody(decimal? Warn, decimal? Throttle, decimal? Block);

/// <param name="DowngradeTo">Beyond API.md: the model to suggest (decision <c>downgrade</c>) from the throttle threshold on.</param>
public sealed record EnforcementBody(string? Mode, string? DowngradeTo, decimal? ThrottleFactor = null, int? GracePeriodMinutes = null, int? BypassPriority = null, decimal? EmergencyCeiling = null);

public sealed record AmountBody(decimal? Cost, long? Tokens, long? Operations);

public sealed record CheckBody(
    Dictionary<string, string>? Attributes,
    AmountBody? Estimate,
    JsonElement? Llm,
    int? Priority);

public sealed record ReserveBody(
    string? IdempotencyKey,
    Dictionary<string, string>? Attributes,
    AmountBody? Estimate,
    JsonElement? Llm,
    int? TtlSeconds,
    int? Priority);

public sealed record CommitBody(AmountBody? Actual, JsonElement? LlmUsage, JsonElement? JobUsage);

public sealed record UsageBody(
    string? IdempotencyKey,
    Dictionary<string, string>? Attributes,
    AmountBody? Actual,
    JsonElement? LlmUsage,
    JsonElement? JobUsage,
    DateTimeOffset? Timestamp);

public sealed record JobUsageBody(decimal? CpuSeconds, decimal? MemoryMbSeconds, long? PayloadBytes, long? Ops, long? NetworkBytes);

public sealed record JobCostWeightsBody(decimal? CpuSecond, decimal? MemoryMbSecond, decimal? PayloadKb, decimal? StoreOperation, decimal? NetworkMb, decimal? BasePerJob);

public sealed record CostModelBody(JobCostWeightsBody? Default, Dictionary<string, JobCostWeightsBody>? Queues, Dictionary<string, decimal>? Environments);

public sealed record JobEstimateBody(string? Queue, string? Environment, JobUsageBody? Usage);

public sealed record CalibrationSampleBody(JobUsageBody? Usage, decimal? Bill);

public sealed record CalibrationBody(string? Queue, string? Environment, List<CalibrationSampleBody>? Samples, bool? Apply);

public sealed record MessageBody(string? Role, string? Content, string? Name);

/// <summary>The <c>llm</c> estimate, and the body of <c>POST /v1/estimate</c>.</summary>
public sealed record LlmBody(string? Model, List<MessageBody>? Messages, string? Prompt, long? MaxOutputTokens, JsonElement? Tools, string? Tier);

public sealed record LlmUsageBody(
    string? Model,
    long? InputTokens,
    long? OutputTokens,
    long? CachedInputTokens,
    long? CacheWriteTokens,
    long? CacheWrite1hTokens,
    long? ReasoningTokens,
    string? Shape,
    string? Tier);

/// <summary>A tenant's price for a model, per million tokens in the tenant's currency.</summary>
public sealed record ModelPriceBody(decimal? Input, decimal? Output, decimal? CachedInput, decimal? CacheWrite, decimal? Reasoning, string? Encoding);
