using System.Security.Cryptography;
using System.Text;

namespace BudgetActors.Alerts;

/// <summary>
/// Message ids (the <c>webhook-id</c>): derived from what identifies a delivery, so that whoever
/// enqueues it again after a crash (a grain re-running its reminder, say) gets the same id and the
/// outbox keeps one delivery.
/// </summary>
public static class MessageIds
{
    public const string Prefix = "msg_";

    /// <summary><c>msg_</c> + 32 hex digits of SHA-256 over the length-prefixed parts (unambiguous for any ids).</summary>
    public static string For(string tenant, string alertId, string channelId, string purpose)
    {
        var text = new StringBuilder();
        foreach (var part in (ReadOnlySpan<string>)[tenant, alertId, channelId, purpose])
        {
            text.Append(part.Length).Append(':').Append(part).Append('|');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
