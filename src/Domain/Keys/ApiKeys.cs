using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BudgetActors.Domain;

/// <summary>
/// The shape of tenant API keys: <c>bak.{tenant, base64url}.{keyId}.{secret}</c>. The tenant part
/// lets a host find the key's tenant without a global index; only a SHA-256 hash of the whole key
/// is stored. A fast hash is enough because the secret is 256 random bits, not a password.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "bak";

    public static string NewKeyId() => "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Create(string tenantId, string keyId) =>
        string.Join('.', Prefix, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(tenantId)), keyId,
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Constant-time comparison of a presented key with a stored hash.</summary>
    public static bool Verify(string key, string storedHash)
    {
        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), presented);
        Span<byte> stored = stackalloc byte[32];
        return Convert.FromHexString(storedHash, stored, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(presented, stored);
    }

    /// <summary>Whether a presented key has the shape of a tenant key (the admin key does not).</summary>
    public static bool LooksLikeTenantKey(string key) => key.StartsWith(Prefix + ".", StringComparison.Ordinal);

    /// <summary>Reads the tenant and key id out of a presented key; false if it is not one of ours.</summary>
    public static bool TryParse(string key, out string tenantId, out string keyId)
    {
        tenantId = keyId = "";
        var parts = key.Split('.');
        if (parts.Length != 4 || parts[0] != Prefix || parts[2].Length == 0 || parts[3].Length == 0)
        {
            return false;
        }

        try
        {
            tenantId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (FormatException)
        {
            return false;
        }

        keyId = parts[2];
        return tenantId.Length > 0;
    }
}
