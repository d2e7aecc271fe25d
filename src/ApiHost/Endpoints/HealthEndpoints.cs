namespace BudgetActors.ApiHost.Endpoints;

/// <summary><c>GET /healthz</c>: 200 when the cluster answers. No key needed.</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            try
            {
                var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, cancellationToken);
                return Results.Ok(new { status = "ok", silos = silos.Count });
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or InvalidOperationException)
            {
                return Results.Problem("The Orleans cluster does not answer: " + e.Message,
                    statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable");
            }
        }).WithSummary("200 when the silo or the cluster connection is up.").AllowAnonymous();
        return app;
    }
}
