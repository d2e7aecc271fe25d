using System.Text.Json;
using System.Text.Json.Serialization;

namespace BudgetActors.Grains.Audit;

/// <summary>An audit event before it is stored (and given its id).</summary>
/// <param name="Data">A JSON object (see <see cref="Json"/>).</param>
public sealed record AuditRecord(string TenantId, string Type, DateTimeOffset At, string Actor, string? BudgetId, string Data)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) }, // "tenant-admin", "daily", "hard", as the API writes them
    };

    /// <summary>The details of an event as the JSON object the trail shows (camelCase, nulls left out).</summary>
    public static string Json(object? details) => details is null ? "{}" : JsonSerializer.Serialize(details, details.GetType(), Options);
}
