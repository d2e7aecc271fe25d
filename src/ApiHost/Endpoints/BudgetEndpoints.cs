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
            .WithSummary("Create (201) or replace (200) a budget. Spend of the current period is kept on replace.");
        budgets.MapGet("/{budgetId}", GetBudget).Requires(ApiKeyRole.Service)
            .Produces<BudgetResponse>().WithSummary("A budget's definition and live status.");
        budgets.MapGet("/", ListBudgets).Requires(ApiKeyRole.Service)
            .Produces<ItemsResponse<BudgetResponse>>().WithSummary("All budgets of the tenant, with status.");
        budgets.MapDelete("/{budgetId}", DeleteBudget).Requires(ApiKeyRole.TenantAdmin)
            .Produces(StatusCodes.Status204NoContent).WithSummary("The budget stops applying; its history is kept.");
        budgets.MapGet("/{budgetId}/history", GetHistory).Requires(ApiKeyRole.Service)
            .Produces<ItemsResponse<PeriodRecordResponse>>().WithSummary("Closed periods, newest first.");
        return v1;
    }

    private static async Task<IResult> PutBudget(string tenant, string budgetId, HttpRequest request, IGrainFactory grains, TenantDirectoryCache directory)
    {
        RequireId(budgetId);
        var body = await JsonBody.ReadAsync<BudgetBody>(request);
        var tenantInfo = (await directory.GetAsync(tenant) ?? throw BudgetActorsException.TenantNotFound(tenant)).Tenant;
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
        var view = await directory.GetAsync(tenant) ?? throw BudgetActorsException.TenantNotFound(tenant);
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
        var view = await directory.GetAsync(tenant) ?? throw BudgetActorsException.TenantNotFound(tenant);
        var history = await grains.GetGrain<IBudgetGrain>(BudgetKey.Of(tenant, budgetId)).GetHistory();
        if (view.FindBudget(budgetId) is null && history.IsEmpty)
        {
            throw ApiProblem.NotFound($"Budget '{budgetId}' does not exist.");
        }

        return TypedResults.Ok(new ItemsResponse<PeriodRecordResponse>([.. history.Select(PeriodRecordResponse.From)]));
    }

    private static async Task<BudgetDefinition> RequireBudget(string tenant, string budgetId, TenantDirectoryCache directory)
    {
        RequireId(budgetId);
        var view = await directory.GetAsync(tenant) ?? throw BudgetActorsException.TenantNotFound(tenant);
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
