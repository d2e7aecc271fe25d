namespace BudgetActors.Grains;

/// <summary>Keys of the grains that belong to a tenant: <c>tenant/id</c>. Ids never contain '/'.</summary>
public static class BudgetKey
{
    public static string Of(string tenantId, string id) => string.Concat(tenantId, "/", id);

    public static (string TenantId, string Id) Split(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
