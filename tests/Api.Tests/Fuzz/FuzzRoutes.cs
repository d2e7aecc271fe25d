using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests.Fuzz;

/// <summary>
/// One route of the API with the valid bodies the fuzzer mutates. Paths hold placeholders
/// (<c>{t}</c> tenant, <c>{b}</c> budget, <c>{r}</c> reservation, <c>{k}</c> key id, <c>{m}</c> model,
/// <c>{u}</c> user) and bodies <c>{key}</c> (the idempotency key that only refused requests reuse) and
/// <c>{newTenant}</c>, filled in for each request.
/// </summary>
public sealed record FuzzRoute(string Name, HttpMethod Method, string Path, Role Needs, IReadOnlyList<string> Bodies, int Weight = 1)
{
    public bool ReadOnly => Method == HttpMethod.Get;

    public override string ToString() => $"{Name} ({Method} {Path})";
}

/// <summary>Every route of API.md Part 1, plus the cost model, the tenant's prices and <c>POST /v1/estimate</c>.</summary>
public static class FuzzRoutes
{
    /// <summary>A model the fuzz tenants price at 10^12 per million tokens, so that in-range token counts price far past 10^12.</summary>
    public const string DearModel = "fz-model";

    public const string Tera = "1000000000000";
    public const string Peta = "1000000000000000";

    public static readonly string LargestWeights =
        $$"""{ "cpuSecond": {{Tera}}, "memoryMbSecond": {{Tera}}, "payloadKb": {{Tera}}, "storeOperation": {{Tera}}, "networkMb": {{Tera}}, "basePerJob": {{Tera}} }""";

    public static readonly string LargestUsage =
        $$"""{ "cpuSeconds": {{Tera}}, "memoryMbSeconds": {{Tera}}, "payloadBytes": {{Peta}}, "ops": {{Peta}}, "networkBytes": {{Peta}} }""";

    /// <summary>The cost model each fuzz tenant starts with: every weight of queue <c>big</c> at 10^12, environment <c>x</c> at ×100.</summary>
    public static readonly string LargestModel =
        $$"""{ "queues": { "big": {{LargestWeights}}, "etl": { "cpuSecond": 0.001 } }, "environments": { "x": 100, "staging": 0.5 } }""";

    private static readonly string NormalSamples = string.Join(", ", Enumerable.Range(1, 10).Select(i =>
        $$"""{ "usage": { "cpuSeconds": {{i * 10}}, "memoryMbSeconds": {{i * 512}}, "payloadBytes": {{i * 1024}}, "ops": {{i}}, "networkBytes": {{i * 4096}} }, "bill": {{i * 0.001m}} }"""));

    private static readonly string LargestSamples = string.Join(", ", Enumerable.Repeat($$"""{ "usage": {{LargestUsage}}, "bill": {{Tera}} }""", 10));

    public static readonly IReadOnlyList<FuzzRoute> All =
    [
        new("create tenant", HttpMethod.Post, "/v1/tenants", Role.Admin,
            ["""{ "id": "{newTenant}", "name": "Fuzz", "currency": "USD", "timezone": "UTC" }""", """{ "id": "{newTenant}" }"""]),
        new("get tenant", HttpMethod.Get, "/v1/tenants/{t}", Role.Service, []),
        new("issue key", HttpMethod.Post, "/v1/tenants/{t}/keys", Role.TenantAdmin,
            ["""{ "role": "service", "name": "fz" }""", """{ "role": "tenant-admin", "name": "" }"""]),
        new("revoke key", HttpMethod.Delete, "/v1/tenants/{t}/keys/{k}", Role.TenantAdmin, []),
        new("put budget", HttpMethod.Put, "/v1/tenants/{t}/budgets/{b}", Role.TenantAdmin,
        [
            """{ "scope": { "user": "alice", "model": "gpt-*" }, "period": { "type": "weekly", "timezone": "Europe/Paris" }, "limits": { "cost": 5, "tokens": 1000, "operations": 10 }, "thresholds": { "warn": 0.5, "throttle": 0.8, "block": 1 }, "enforcement": { "mode": "soft", "downgradeTo": "gpt-4o-mini" } }""",
            """{ "scope": {}, "period": { "type": "total" }, "limits": { "tokens": 1000000000000000 } }""",
        ], Weight: 3),
        new("get budget", HttpMethod.Get, "/v1/tenants/{t}/budgets/{b}", Role.Service, []),
        new("list budgets", HttpMethod.Get, "/v1/tenants/{t}/budgets", Role.Service, []),
        new("budget history", HttpMethod.Get, "/v1/tenants/{t}/budgets/{b}/history", Role.Service, []),
        new("delete budget", HttpMethod.Delete, "/v1/tenants/{t}/budgets/{b}", Role.TenantAdmin, []),
        new("check", HttpMethod.Post, "/v1/tenants/{t}/check", Role.Service,
        [
            """{ "attributes": { "user": "alice", "queue": "big" }, "estimate": { "cost": 0.001, "tokens": 10, "operations": 1 }, "priority": 0 }""",
            """{ "llm": { "model": "gpt-4o", "messages": [ { "role": "system", "content": "Be brief." }, { "role": "user", "content": "Hi", "name": "alice" } ], "maxOutputTokens": 10, "tools": [ { "type": "function", "function": { "name": "f", "parameters": { "type": "object" } } } ], "tier": "batch" } }""",
            $$"""{ "llm": { "model": "{{DearModel}}", "prompt": "x", "maxOutputTokens": 10000000 } }""",
        ], Weight: 4),
        new("reserve", HttpMethod.Post, "/v1/tenants/{t}/reservations", Role.Service,
        [
            """{ "idempotencyKey": "{key}", "attributes": { "user": "alice" }, "estimate": { "cost": 0.001 }, "ttlSeconds": 300, "priority": 1 }""",
            """{ "idempotencyKey": "{key}", "llm": { "model": "claude-sonnet-4-5", "prompt": "Hello", "maxOutputTokens": 5 } }""",
            $$"""{ "idempotencyKey": "{key}", "llm": { "model": "{{DearModel}}", "messages": [ { "role": "user", "content": "x" } ], "maxOutputTokens": 2000 } }""",
        ], Weight: 4),
        new("commit", HttpMethod.Post, "/v1/tenants/{t}/reservations/{r}/commit", Role.Service,
        [
            """{ "actual": { "cost": 0.001, "tokens": 1 } }""",
            """{ "llmUsage": { "model": "gpt-4o", "inputTokens": 10, "outputTokens": 5, "cachedInputTokens": 2, "shape": "openai", "tier": "standard" } }""",
            """{ "jobUsage": { "cpuSeconds": 1.5, "memoryMbSeconds": 100, "payloadBytes": 1024, "ops": 2, "networkBytes": 1000 } }""",
            $$"""{ "llmUsage": { "model": "{{DearModel}}", "inputTokens": {{Peta}}, "outputTokens": {{Peta}} } }""",
            $$"""{ "jobUsage": {{LargestUsage}} }""",
        ], Weight: 4),
        new("release", HttpMethod.Post, "/v1/tenants/{t}/reservations/{r}/release", Role.Service, []),
        new("usage", HttpMethod.Post, "/v1/tenants/{t}/usage", Role.Service,
        [
            $$"""{ "idempotencyKey": "{key}", "attributes": { "queue": "big", "environment": "x" }, "jobUsage": {{LargestUsage}} }""",
            """{ "idempotencyKey": "{key}", "attributes": { "user": "alice" }, "actual": { "cost": 0.001 }, "timestamp": "2026-01-01T00:00:00Z" }""",
            """{ "idempotencyKey": "{key}", "llmUsage": { "model": "claude-sonnet-4-5", "inputTokens": 100, "outputTokens": 10, "cachedInputTokens": 5, "cacheWriteTokens": 5, "cacheWrite1hTokens": 1, "reasoningTokens": 0, "shape": "anthropic" } }""",
            $$"""{ "idempotencyKey": "{key}", "llmUsage": { "model": "{{DearModel}}", "inputTokens": 1000000000, "outputTokens": 1 } }""",
        ], Weight: 4),
        new("tenant summary", HttpMethod.Get, "/v1/tenants/{t}/summary", Role.Service, []),
        new("user summary", HttpMethod.Get, "/v1/tenants/{t}/users/{u}/summary", Role.Service, []),
        new("get cost model", HttpMethod.Get, "/v1/tenants/{t}/cost-model", Role.Service, []),
        new("put cost model", HttpMethod.Put, "/v1/tenants/{t}/cost-model", Role.TenantAdmin,
        [
            LargestModel,
            """{ "default": { "cpuSecond": 0.00003, "memoryMbSecond": 0.000000003, "payloadKb": 0.0000001, "storeOperation": 0.0000004, "networkMb": 0.00009, "basePerJob": 0.0000002 }, "queues": { "etl": { "cpuSecond": 0.001 } }, "environments": { "staging": 0.5 } }""",
        ], Weight: 3),
        new("estimate job", HttpMethod.Post, "/v1/tenants/{t}/cost-model/estimate", Role.Service,
        [
            $$"""{ "queue": "big", "environment": "x", "usage": {{LargestUsage}} }""",
            """{ "queue": "etl", "environment": "staging", "usage": { "cpuSeconds": 1, "ops": 3 } }""",
        ], Weight: 3),
        new("calibrate", HttpMethod.Post, "/v1/tenants/{t}/cost-model/calibrate", Role.TenantAdmin,
        [
            $$"""{ "queue": "etl", "environment": "staging", "apply": false, "samples": [ {{NormalSamples}} ] }""",
            $$"""{ "queue": "big", "environment": "x", "samples": [ {{LargestSamples}} ] }""",
        ], Weight: 3),
        new("get prices", HttpMethod.Get, "/v1/tenants/{t}/prices", Role.Service, []),
        new("put price", HttpMethod.Put, "/v1/tenants/{t}/prices/{m}", Role.TenantAdmin,
            ["""{ "input": 1, "output": 2, "cachedInput": 0.5, "cacheWrite": 1.25, "reasoning": 2, "encoding": "o200k_base" }"""], Weight: 2),
        new("delete price", HttpMethod.Delete, "/v1/tenants/{t}/prices/{m}", Role.TenantAdmin, []),
        new("put unknown-model price", HttpMethod.Put, "/v1/tenants/{t}/unknown-model-price", Role.TenantAdmin,
            [$$"""{ "input": {{Tera}}, "output": 0.2 }"""], Weight: 2),
        new("delete unknown-model price", HttpMethod.Delete, "/v1/tenants/{t}/unknown-model-price", Role.TenantAdmin, []),
        new("estimate llm", HttpMethod.Post, "/v1/estimate", Role.Service,
        [
            """{ "model": "gpt-4o", "messages": [ { "role": "user", "content": "Hello" } ], "maxOutputTokens": 500, "tier": "flex" }""",
            $$"""{ "model": "{{DearModel}}", "prompt": "x", "maxOutputTokens": 10000000 }""",
        ], Weight: 3),
    ];
}
