using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Grains;
using BudgetActors.Grains.Directory;
using BudgetActors.Domain;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Budget definitions, their live status and their history.</summary>
public static class BudgetEndpoints
{
    public static RouteGroupBuilder MapBudgetEndpoints(this RouteGroupBuilder v1)
    {
        var budgets = v1.MapGroup("/tenants/{tenant}/budgets");
        budgets.MapPut("/{budgetId}", PutBudget).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<BudgetBody>("application/json")
            .Produces<BudgetResponse>(StatusCodes.Status201Created).Produces<BudgetResponse>()
            .WithSummary("Create (201) or replace (200) a budget. Spend of the current period is kept on replace.")
            .WithDescription("period.type: daily (from local midnight), weekly (from Monday), monthly (from the 1st), total (never resets), " +
                "custom (periods of lengthMinutes of local clock time in period.timezone, one after another from period.start: across a DST " +
                "change a period is an hour shorter or longer in elapsed time, so that boundaries keep their local time of day), or rolling " +
                "(the spend of the last windowMinutes, kept in 60 buckets of windowMinutes seconds each, i.e. 1/60 of the window; spend leaves " +
                "the window between windowMinutes and windowMinutes + 1/60 of it after it was recorded, never earlier). A rolling budget's " +
                "status shows the window: periodStart is the start of its oldest bucket, periodEnd when it next slides; it never closes, so " +
                "its history holds only manual resets and changes of its period, and alerts, grace and emergency uses count once per window " +
                "length. carryOver (daily, weekly, monthly, custom): at rollover, unused budget up to unusedCap × the defined limit is added " +
                "to the next period's limit (unused: true) and spend past the limit in force is taken from it (overage: true), never below " +
                "zero; the closed period's history record shows carriedIn and carriedOut. A change of period closes the current one into history.");
        budgets.MapGet("/{budgetId}", GetBudget).Requires(ApiKeyRole.Service)
            .Produces<BudgetResponse>().WithSummary("A budget's definition and live status.");
        budgets.MapGet("/", ListBudgets).Requires(ApiKeyRole.Service)
            .Produces<ItemsResponse<BudgetResponse>>().WithSummary("All budgets of the tenant, with status.");
        budgets.MapDelete("/{budgetId}", DeleteBudget).Requires(ApiKeyRole.TenantAdmin)
            .Produces(StatusCodes.Status204NoContent).WithSummary("The budget stops applying; its history is kept.");
        budgets.MapGet("/{budgetId}/history", GetHistory).Requires(ApiKeyRole.Service)
            .Produces<ItemsResponse<PeriodRecordResponse>>().WithSummary("Closed periods, newest first.")
            .WithDescription("Each record: periodStart, periodEnd, spent (late spend included), the limits in force when it closed, its final " +
                "state, closedBy (rollover | manual-reset | changed), manualReset and reason for a reset, and carriedIn / carriedOut under a " +
                "carry-over policy (a reset passes on what its period was given, so the rest of the period keeps it).");
        budgets.MapPost("/{budgetId}/reset", ResetBudget).Requires(ApiKeyRole.TenantAdmin)
            .Accepts<ResetBody>("application/json")
            .Produces<ResetResponse>()
            .WithSummary("Reset a budget now: the current period closes into history, marked as a manual reset with the reason, and the rest of it starts afresh.")
            .WithDescription("reason: required, 1 to 500 characters. The closed record ends now; the budget's period then starts now and " +
                "still ends on its boundary (a calendar or custom period), or its window starts now (rolling). Spend, alert marks, grace and " +
                "emergency uses start from zero; reservations' holds and carry-over stay. The reset is a ledger entry: spend written before " +
                "it is in the closed record and spend written after it in the new start, exactly once, also when replayed after a restart. " +
                "A budget.reset event records it. Answers the closed record and the budget's status after the reset.");
        return v1;
    }

    private static async Task<IResult> PutBudget(string tenant, string budgetId, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        RequireId(budgetId);
        var body = await JsonBody.ReadAsync<BudgetBody>(request);
        var tenantInfo = (await directory.RequireAsync(tenant)).Tenant;
        var map = new RequestMapper();
        var definition = BudgetDefinitionReader.Read(budgetId, body, tenantInfo, map);
        map.ThrowIfInvalid();

        var result = await grains.GetGrain<ITenantGrain>(tenant).PutBudget(definition);
        var status = await grains.GetGrain<IBudgetGrain>(BudgetKey.Of(tenant, budgetId)).GetStatus();
        var response = BudgetResponse.From(result.Definition, status);
        return result.Created
            ? TypedResults.Created($"/v1/tenants/{tenant}/budgets/{budgetId}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetBudget(string tenant, string budgetId, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var definition = await RequireBudget(tenant, budgetId, directory);
        var status = await grains.GetGrain<IBudgetGrain>(BudgetKey.Of(tenant, budgetId)).GetStatus();
        return TypedResults.Ok(BudgetResponse.From(definition, status));
    }

    private static async Task<IResult> ListBudgets(string tenant, IGrainFactory grains, TenantDirectoryCache directory)
    {
        var view = await directory.RequireAsync(tenant);
        var definitions = view.Directory.Budgets.OrderBy(b => b.Id, StringComparer.Ordinal).ToList();
        var statuses = await Task.WhenAll(definitions.Select(d => grains.GetGrain<IBudgetGrain>(BudgetKey.Of(tenant, d.Id)).GetStatus()));
        return TypedResults.Ok(new ItemsResponse<BudgetResponse>([.. definitions.Select((d, i) => BudgetResponse.From(d, statuses[i]))]));
    }

    private static async Task<IResult> DeleteBudget(string tenant, string budgetId, IGrainFactory grains, TenantDirectoryCache directory)
    {
        await RequireBudget(tenant, budgetId, directory);
        return await grains.GetGrain<ITenantGrain>(tenant).DeleteBudget(budgetId)
            ? TypedResults.NoContent()
            : throw ApiProblem.NotFound($"Budget '{budgetId}' does not exist.");
    }

    /// <summary>History outlives the budget: a deleted budget's closed periods can still be read.</summary>
    private static async Task<IResult> GetHistory(string tenant, string budgetId, IGrainFactory grains, TenantDirectoryCache directory)
    {
        RequireId(budgetId);
        var view = await directory.RequireAsync(tenant);
        var history = await grains.GetGrain<IBudgetGrain>(BudgetKey.Of(tenant, budgetId)).GetHistory();
        if (view.FindBudget(budgetId) is null && history.IsEmpty)
        {
            throw ApiProblem.NotFound($"Budget '{budgetId}' does not exist.");
        }

        return TypedResults.Ok(new ItemsResponse<PeriodRecordResponse>([.. history.Select(PeriodRecordResponse.From)]));
    }

    private static async Task<IResult> ResetBudget(string tenant, string budgetId, HttpRequest request, TenantDirectoryCache directory)
    {
        RequireId(budgetId);
        var body = await JsonBody.ReadAsync<ResetBody>(request);
        var errors = new RequestErrors();
        OverrideRules.Reason(body.Reason, errors);
        ApiProblem.ThrowIfAny(errors);
        var view = await directory.RequireAsync(tenant);
        if (view.FindBudget(budgetId) is null)
        {
            throw ApiProblem.NotFound($"Budget '{budgetId}' does not exist.");
        }

        var reset = await view.BudgetGrain(budgetId).Reset(body.Reason!) ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        return TypedResults.Ok(new ResetResponse(reset.Closed is { } closed ? PeriodRecordResponse.From(closed) : null, StatusResponse.From(reset.Status)));
    }

    private static async Task<BudgetDefinition> RequireBudget(string tenant, string budgetId, TenantDirectoryCache directory)
    {
        RequireId(budgetId);
        var view = await directory.RequireAsync(tenant);
        return view.FindBudget(budgetId) ?? throw ApiProblem.NotFound($"Budget '{budgetId}' does not exist.");
    }

    private static void RequireId(string budgetId)
    {
        if (!Identifiers.IsId(budgetId))
        {
            throw ApiProblem.Invalid("budgetId", Identifiers.IdRule);
        }
    }
}

public sealed record ResetBody(string? Reason);

/// <param name="Closed">The record the reset closed (null only if the cut fell in a period no longer kept).</param>
/// <param name="Status">The budget after the reset.</param>
public sealed record ResetResponse(PeriodRecordResponse? Closed, StatusResponse Status);
