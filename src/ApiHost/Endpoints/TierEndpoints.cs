using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Grains.Directory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Tiers: budget templates that every subject on the tier gets on its first request.</summary>
public static class TierEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static RouteGroupBuilder MapTierEndpoints(this RouteGroupBuilder v1)
    {
        var tiers = v1.MapGroup("/tenants/{tenant}/tiers");
        tiers.MapPut("/{tier}", PutTier).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<TierBody>("application/json")
            .Produces<TierResponse>(StatusCodes.Status201Created).Produces<TierResponse>()
            .WithSummary("Create (201) or replace (200) a tier: the budgets each of its subjects gets on its first request.")
            .WithDescription("Body: { \"subject\": \"user\", \"budgets\": { \"daily\": { \"period\", \"limits\", \"thresholds\"?, \"enforcement\"?, " +
                "\"alerts\"?, \"emergency\"?, \"carryOver\"?, \"rateLimits\"?, \"perRequest\"? } } } — each template is a budget definition without " +
                "scope (1–16 per tier). Tier ids and budget names: 1–32 characters of A–Z a–z 0–9 _ : @ - (no '.'). A subject's budgets have the id " +
                "{tier}.{name}.{value} (free.daily.carol) and the scope { subject: value }; in the value '_' is written '__', '/' '_s' and '+' '_p', " +
                "and one that would pass 128 characters is cut and ends in '_h' and 32 hex digits of its SHA-256. Replacing a tier updates, creates " +
                "or retires the budgets of every subject that has them, at once (their spend of the period is kept; subjectsChanged says how many). " +
                "The subject attribute of a tier in use cannot change (409). Events: tier.updated, and budget.instantiated / budget.updated / budget.deleted.");
        tiers.MapGet("/{tier}", GetTier).Requires(ApiKeyRole.Service)
            .Produces<TierResponse>().WithSummary("A tier's templates.");
        tiers.MapGet("/", ListTiers).Requires(ApiKeyRole.Service)
            .Produces<ItemsResponse<TierResponse>>().WithSummary("The tenant's tiers, by id.");
        tiers.MapDelete("/{tier}", DeleteTier).Requires(ApiKeyRole.TenantAdmin)
            .Produces(StatusCodes.Status204NoContent)
            .WithSummary("Delete a tier. 409 while it is the tenant's defaultTier or subjects are assigned to it.");
        tiers.MapGet("/{tier}/subjects", ListSubjects).Requires(ApiKeyRole.Service)
            .Produces<SubjectsResponse>()
            .WithSummary("The subjects on a tier — assigned to it, or on it as the default tier once they made a request — ordered by id.")
            .WithDescription("cursor: the 'next' of an earlier page (null at the end); limit: 1–1000, default 100.");

        var subjects = v1.MapGroup("/tenants/{tenant}/subjects");
        subjects.MapPut("/{subject}/{id}", AssignSubject).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<SubjectBody>("application/json")
            .Produces<SubjectResponse>(StatusCodes.Status201Created).Produces<SubjectResponse>()
            .WithSummary("Put a subject on a tier, e.g. PUT …/subjects/user/alice { \"tier\": \"pro\" } (201 first, 200 after).")
            .WithDescription("subject: an attribute name (user, project, …), which must be the tier's subject. A subject that already has its " +
                "budgets swaps them at once: the old tier's are retired (their history kept) and the new tier's made. Otherwise its budgets " +
                "are made on its first request. In the path, a value's '/' is written %2F.");
        subjects.MapGet("/{subject}/{id}", GetSubject).Requires(ApiKeyRole.Service)
            .Produces<SubjectResponse>().WithSummary("A subject's tier (assigned or default) and the budgets it has from it.");
        subjects.MapDelete("/{subject}/{id}", UnassignSubject).Requires(ApiKeyRole.TenantAdmin)
            .Produces(StatusCodes.Status204NoContent)
            .WithSummary("Remove a subject's assignment: it falls back to the default tier (or none), swapping its budgets at once. 404 without one.");

        v1.MapPatch("/tenants/{tenant}", PatchTenant).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<PatchTenantBody>("application/json")
            .Produces<TenantResponse>()
            .WithSummary("Change a tenant's settings: { \"defaultTier\": \"free\" } (null: none).")
            .WithDescription("defaultTier: the tier of every subject of that tier's attribute without an assignment. Subjects that already " +
                "have the old default's budgets swap them at once. Event: tenant.updated.");
        return v1;
    }

    private static async Task<IResult> PutTier(string tenant, string tier, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        RequireName(tier, "tier");
        var body = await JsonBody.ReadAsync<TierBody>(request);
        var info = (await directory.RequireAsync(tenant)).Tenant;
        var definition = Read(tier, body, info);
        var result = await grains.GetGrain<ITenantTierGrain>(tenant).PutTier(definition);
        var response = TierResponse.From(result.Tier, result.SubjectsChanged);
        return result.Created ? TypedResults.Created($"/v1/tenants/{tenant}/tiers/{tier}", response) : TypedResults.Ok(response);
    }

    private static async Task<Ok<TierResponse>> GetTier(string tenant, string tier, TenantDirectoryCache directory)
    {
        RequireName(tier, "tier");
        var view = await directory.RequireAsync(tenant);
        var found = view.Tiers.Find(tier) ?? throw ApiProblem.NotFound($"Tier '{tier}' does not exist.");
        return TypedResults.Ok(TierResponse.From(found, null));
    }

    private static async Task<Ok<ItemsResponse<TierResponse>>> ListTiers(string tenant, TenantDirectoryCache directory)
    {
        var view = await directory.RequireAsync(tenant);
        return TypedResults.Ok(new ItemsResponse<TierResponse>([.. view.Tiers.Directory.Tiers.Select(t => TierResponse.From(t, null))]));
    }

    private static async Task<NoContent> DeleteTier(string tenant, string tier, IGrainFactory grains)
    {
        RequireName(tier, "tier");
        return await grains.GetGrain<ITenantTierGrain>(tenant).DeleteTier(tier)
            ? TypedResults.NoContent()
            : throw ApiProblem.NotFound($"Tier '{tier}' does not exist.");
    }

    private static async Task<Ok<SubjectsResponse>> ListSubjects(string tenant, string tier, string? cursor, string? limit, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (!TierRules.IsName(tier))
        {
            errors.Add("tier", TierRules.NameRule);
        }

        var after = Cursor(cursor, errors);
        var take = QueryLimits.Limit(limit, DefaultLimit, MaxLimit, errors);
        ApiProblem.ThrowIfAny(errors);
        var page = await grains.GetGrain<ITenantTierGrain>(tenant).ListSubjects(tier, after, take);
        return TypedResults.Ok(new SubjectsResponse([.. page.Items.Select(SubjectResponse.From)], page.Next is { } next ? ToCursor(next) : null));
    }

    private static async Task<IResult> AssignSubject(string tenant, string subject, string id, HttpRequest request, IGrainFactory grains)
    {
        id = PathValue(id);
        var errors = TierRules.ValidateSubject(subject, id);
        var body = await JsonBody.ReadAsync<SubjectBody>(request);
        if (!TierRules.IsName(body.Tier))
        {
            errors.Add("tier", body.Tier is null ? "Required: the tier to put the subject on." : TierRules.NameRule);
        }

        ApiProblem.ThrowIfAny(errors);
        var result = await grains.GetGrain<ITenantTierGrain>(tenant).AssignSubject(subject, id, body.Tier!);
        var response = SubjectResponse.From(result.Subject);
        return result.Created
            ? TypedResults.Created($"/v1/tenants/{tenant}/subjects/{subject}/{Uri.EscapeDataString(id)}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<Ok<SubjectResponse>> GetSubject(string tenant, string subject, string id, IGrainFactory grains)
    {
        id = PathValue(id);
        ApiProblem.ThrowIfAny(TierRules.ValidateSubject(subject, id));
        return TypedResults.Ok(SubjectResponse.From(await grains.GetGrain<ITenantTierGrain>(tenant).GetSubject(subject, id)));
    }

    private static async Task<NoContent> UnassignSubject(string tenant, string subject, string id, IGrainFactory grains)
    {
        id = PathValue(id);
        ApiProblem.ThrowIfAny(TierRules.ValidateSubject(subject, id));
        return await grains.GetGrain<ITenantTierGrain>(tenant).UnassignSubject(subject, id)
            ? TypedResults.NoContent()
            : throw ApiProblem.NotFound($"{subject} '{id}' has no tier assigned.");
    }

    private static async Task<Ok<TenantResponse>> PatchTenant(string tenant, HttpRequest request, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<PatchTenantBody>(request);
        string? defaultTier = null;
        switch (body.DefaultTier.ValueKind)
        {
            case JsonValueKind.Undefined:
                throw ApiProblem.Invalid("defaultTier", "Nothing to change: the settings that PATCH changes are: defaultTier.");
            case JsonValueKind.Null:
                break;
            case JsonValueKind.String when TierRules.IsName(body.DefaultTier.GetString()):
                defaultTier = body.DefaultTier.GetString();
                break;
            default:
                throw ApiProblem.Invalid("defaultTier", "A tier id (" + TierRules.NameRule + "), or null for none.");
        }

        return TypedResults.Ok(TenantResponse.From(await grains.GetGrain<ITenantTierGrain>(tenant).SetDefaultTier(defaultTier)));
    }

    /// <summary>The tier the body describes, or a 400 naming everything wrong with it (template fields under <c>budgets.{name}.</c>).</summary>
    private static TierDefinition Read(string tierId, TierBody body, TenantInfo tenant)
    {
        var errors = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var templates = ImmutableArray.CreateBuilder<BudgetDefinition>();
        foreach (var (name, budget) in body.Budgets ?? [])
        {
            if (budget is null)
            {
                Add(errors, $"budgets.{name}", "Must be a budget definition: { \"period\", \"limits\", … }.");
                continue;
            }

            if (budget.Scope is not null)
            {
                Add(errors, $"budgets.{name}.scope", "Set by the tier: { subject: value } for each subject.");
            }

            var map = new RequestMapper();
            templates.Add(BudgetDefinitionReader.Read(name, budget with { Scope = null }, tenant, map));
            foreach (var (field, messages) in map.Errors.ToImmutable().Where(e => e.Key != "budgetId"))
            {
                messages.ToList().ForEach(m => Add(errors, $"budgets.{name}.{field}", m));
            }
        }

        var tier = new TierDefinition(tierId, body.Subject ?? "", templates.ToImmutable(), default);
        foreach (var (field, messages) in TierRules.Validate(tier).ToImmutable())
        {
            messages.ToList().ForEach(m => Add(errors, field, m));
        }

        return errors.Count == 0 ? tier : throw ApiProblem.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

        static void Add(SortedDictionary<string, List<string>> errors, string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            if (!list.Contains(message))
            {
                list.Add(message); // the mapping and the rules may both see the same fault
            }
        }
    }

    /// <summary>ASP.NET Core leaves an escaped '/' escaped in a route value: values may hold '/'.</summary>
    private static string PathValue(string id) => id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static void RequireName(string name, string field)
    {
        if (!TierRules.IsName(name))
        {
            throw ApiProblem.Invalid(field, TierRules.NameRule);
        }
    }

    // Cursors are the last value of a page, base64url-encoded: values may hold '+' and '/', which a query string would mangle.
    private static string ToCursor(string value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));

    private static string? Cursor(string? cursor, RequestErrors errors)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var value = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (Identifiers.IsAttributeValue(value))
            {
                return value;
            }
        }
        catch (FormatException)
        {
        }

        errors.Add("cursor", "A cursor from the 'next' of an earlier page.");
        return null;
    }
}

public sealed record TierBody(string? Subject, Dictionary<string, BudgetBody?>? Budgets);

public sealed record SubjectBody(string? Tier);

/// <summary>Absent (<see cref="JsonValueKind.Undefined"/>) and null differ: null clears the default tier.</summary>
public sealed record PatchTenantBody(JsonElement DefaultTier);

/// <summary>One template of a tier: a budget definition without id, scope or status.</summary>
public sealed record TierBudgetResponse(
    PeriodResponse Period,
    LimitsResponse Limits,
    ThresholdsResponse Thresholds,
    EnforcementResponse Enforcement,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AlertPolicy? Alerts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Http.EmergencyResponse? Emergency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CarryOverPolicy? CarryOver,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RateLimits? RateLimits,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LimitsResponse? PerRequest)
{
    public static TierBudgetResponse From(BudgetDefinition template)
    {
        var b = BudgetResponse.From(template, null);
        return new(b.Period, b.Limits, b.Thresholds, b.Enforcement, b.Alerts, b.Emergency, b.CarryOver, b.RateLimits, b.PerRequest);
    }
}

/// <param name="BudgetIds">How a subject's budget ids are made, e.g. <c>free.daily.{value}</c>.</param>
/// <param name="SubjectsChanged">On a PUT: how many subjects had their budgets changed with it.</param>
public sealed record TierResponse(
    string Id,
    string Subject,
    ImmutableSortedDictionary<string, TierBudgetResponse> Budgets,
    ImmutableArray<string> BudgetIds,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SubjectsChanged)
{
    public static TierResponse From(TierDefinition tier, int? subjectsChanged) => new(
        tier.Id,
        tier.Subject,
        tier.Budgets.ToImmutableSortedDictionary(b => b.Id, TierBudgetResponse.From, StringComparer.Ordinal),
        [.. tier.Budgets.Select(b => $"{tier.Id}.{b.Id}.{{value}}")],
        tier.UpdatedAt,
        subjectsChanged);
}

/// <param name="Tier">The tier it is on (assigned, else the default tier of its attribute); null: none.</param>
/// <param name="Budgets">The ids of the budgets it has from its tier; empty until its first request.</param>
public sealed record SubjectResponse(string Subject, string Id, string? Tier, bool Assigned, ImmutableArray<string> Budgets)
{
    public static SubjectResponse From(SubjectInfo s) => new(s.Subject, s.Id, s.Tier, s.Assigned, s.Budgets.IsDefault ? [] : s.Budgets);
}

public sealed record SubjectsResponse(IReadOnlyList<SubjectResponse> Items, string? Next);
