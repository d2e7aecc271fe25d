using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BudgetActors.WebhookReceiver;

/// <summary>
/// Standard Webhooks verification: the <c>webhook-signature</c> header holds one or more
/// space-separated <c>v1,&lt;base64&gt;</c> signatures (several while a secret is rotated), each an
/// HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c> keyed with the base64-decoded bytes
/// of the secret after <c>whsec_</c>.
/// </summary>
public sealed class WebhookVerifier
{
    /// <summary>How far <c>webhook-timestamp</c> may be from now, either way: an old message replayed later is refused.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly byte[] _key;

    public WebhookVerifier(string secret)
    {
        const string prefix = "whsec_";
        var encoded = secret.StartsWith(prefix, StringComparison.Ordinal) ? secret[prefix.Length..] : secret;
        _key = Convert.FromBase64String(encoded);
    }

    public Verdict Verify(string? id, string? timestamp, string? signatures, byte[] body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Verdict.MissingHeaders;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if ((now - sent).Duration() > Tolerance)
        {
            return Verdict.StaleTimestamp;
        }

        using var hmac = new HMACSHA256(_key);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = hmac.ComputeHash(signed);

        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!candidate.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var given = new byte[64];
            // Constant-time: how long the comparison takes says nothing about how much matched.
            if (Convert.TryFromBase64String(candidate[3..], given, out var length)
                && CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected))
            {
                return Verdict.Valid;
            }
        }

        return Verdict.BadSignature;
    }
}
