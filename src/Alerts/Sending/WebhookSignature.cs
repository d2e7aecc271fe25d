using System.Security.Cryptography;
using System.Text;

namespace BudgetActors.Alerts;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64 of HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the bytes of the secret after <c>whsec_</c>.
/// (The StandardWebhooks NuGet package does the same, but needs ASP.NET Core for its header type;
/// the tests check these signatures with it.)
/// </summary>
public static class WebhookSignature
{
    public const string Version = "v1";

    public static string Sign(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body) =>
        ChannelSecrets.TryGetKey(secret, out var key)
            ? Sign(key, messageId, timestamp, body)
            : throw new ArgumentException("Not a whsec_ secret of 24–64 base64 bytes.", nameof(secret));

    public static string Sign(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body) =>
        Version + "," + Convert.ToBase64String(Mac(key, messageId, timestamp, body));

    /// <summary>
    /// Whether one of the space-separated signatures in <paramref name="signatureHeader"/> is this
    /// body's (several appear while a secret is rotated). Constant-time in the signature's bytes.
    /// Does not judge the timestamp's age: the caller does (Standard Webhooks suggests 5 minutes).
    /// </summary>
    public static bool Verify(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        if (!ChannelSecrets.TryGetKey(secret, out var key))
        {
            return false;
        }

        var expected = Mac(key, messageId, timestamp, body);
        Span<byte> given = stackalloc byte[64];
        var match = false;
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',');
            if (comma < 0 || part.AsSpan(0, comma) is not Version)
            {
                continue;
            }

            if (Convert.TryFromBase64String(part[(comma + 1)..], given, out var length)
                && CryptographicOperations.FixedTimeEquals(given[..length], expected))
            {
                match = true;
            }
        }

        return match;
    }

    private static byte[] Mac(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{messageId}.{timestamp}."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
