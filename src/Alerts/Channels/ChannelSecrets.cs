using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace BudgetActors.Alerts;

/// <summary>Webhook signing secrets in the Standard Webhooks format: <c>whsec_</c> + base64 of the key bytes.</summary>
public static class ChannelSecrets
{
    public const string Prefix = "whsec_";

    /// <summary>32 bytes: above the contract's minimum of 24, and the HMAC-SHA256 block-size guidance (key ≥ hash length).</summary>
    public const int KeyBytes = 32;

    public const int MinKeyBytes = 24;

    /// <summary>The most key bytes a secret may carry (Standard Webhooks allows up to 64).</summary>
    public const int MaxKeyBytes = 64;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The HMAC key: the base64-decoded bytes after <c>whsec_</c>, if the secret has that shape.</summary>
    public static bool TryGetKey([NotNullWhen(true)] string? secret, [NotNullWhen(true)] out byte[]? key)
    {
        key = null;
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = secret.AsSpan(Prefix.Length);
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written) || written < MinKeyBytes || written > MaxKeyBytes)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }

    public static bool IsValid([NotNullWhen(true)] string? secret) => TryGetKey(secret, out _);
}
