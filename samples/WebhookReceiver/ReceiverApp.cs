using System.Text.Json;

namespace BudgetActors.WebhookReceiver;

/// <summary>The receiver: POST /webhook, verified, deduplicated, logged, answered 204.</summary>
public static class ReceiverApp
{
    public const string Path = "/webhook";

    /// <summary>Bodies larger than this are refused before they are read (BudgetActors sends about 1 KB).</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var secret = builder.Configuration["Webhook:Secret"];
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException(
                "Set the channel's signing secret (shown once when the channel was created) in Webhook__Secret, for example Webhook__Secret=whsec_...");
        }

        var verifier = new WebhookVerifier(secret);
        builder.Services.AddSingleton(verifier);
        builder.Services.AddSingleton<SeenMessages>();
        builder.Services.AddSingleton(TimeProvider.System);

        var app = builder.Build();
        app.MapPost(Path, async (HttpRequest request, WebhookVerifier verifier, SeenMessages seen, TimeProvider time, ILogger<WebhookVerifier> logger) =>
        {
            // The signature covers the exact bytes sent: read them as they are, never a re-serialized object.
            if (request.ContentLength > MaxBodyBytes)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();

            var id = request.Headers["webhook-id"].ToString();
            var timestamp = request.Headers["webhook-timestamp"].ToString();
            var signature = request.Headers["webhook-signature"].ToString();
            var verdict = verifier.Verify(id, timestamp, signature, body, time.GetUtcNow());
            if (verdict != Verdict.Valid)
            {
                logger.LogWarning("Refused a webhook ({Verdict}), webhook-id '{Id}'.", verdict, id);
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid webhook", detail: verdict.ToString());
            }

            // Delivery is at least once: the same webhook-id may come again (a retry after a lost answer).
            if (!seen.TryAdd(id, time.GetUtcNow()))
            {
                logger.LogInformation("Webhook {Id} again: already handled.", id);
                return Results.NoContent();
            }

            using var json = JsonDocument.Parse(body);
            var type = json.RootElement.GetProperty("type").GetString();
            var data = json.RootElement.GetProperty("data");
            logger.LogInformation("{Type} for {Tenant}/{Budget}: {Message} (webhook-id {Id})",
                type, data.GetProperty("tenant").GetString(), data.GetProperty("budgetId").GetString(), data.GetProperty("message").GetString(), id);

            // Answer quickly (within BudgetActors' 10 s send timeout); hand slow work to a queue.
            return Results.NoContent();
        });
        return app;
    }
}
