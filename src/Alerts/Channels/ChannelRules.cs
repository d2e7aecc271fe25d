using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;
using System.Text.RegularExpressions;
using MimeKit;

namespace BudgetActors.Alerts;

/// <summary>
/// What a channel definition must satisfy (API.md, "Alert channels"): a known type; webhook and
/// Slack channels an <c>https</c> URL to a public host; email channels 1–20 addresses; in-app
/// nothing. <see cref="Validate"/> checks the shape and IP literals; <see cref="ValidateAsync"/>
/// also resolves the host (save time). The sender checks the host again at every send.
/// </summary>
public static partial class ChannelRules
{
    public const int MaxRecipients = 20;
    public const int MaxUrlLength = 2048;
    public const int MaxAddressLength = 254;
    public const string IdRule = "Must be 1–128 characters of A–Z, a–z, 0–9 and . _ : @ -.";

    public static ChannelErrors Validate(string? channelId, string? type, string? url, IReadOnlyList<string?>? to, NetworkPolicy policy)
    {
        var errors = new ChannelErrors();
        if (channelId is null || !IdPattern().IsMatch(channelId))
        {
            errors.Add("channelId", IdRule);
        }

        if (!AlertChannelTypes.TryParse(type, out var channelType))
        {
            errors.Add("type", $"Must be one of: {string.Join(", ", AlertChannelTypes.Names)}.");
            return errors;
        }

        switch (channelType)
        {
            case AlertChannelType.Webhook or AlertChannelType.Slack:
                if (CheckUrl(url, policy, out _) is { } problem)
                {
                    errors.Add("url", problem);
                }

                if (to is { Count: > 0 })
                {
                    errors.Add("to", "Only email channels have recipients.");
                }

                break;
            case AlertChannelType.Email:
                Recipients(to, errors);
                if (url is not null)
                {
                    errors.Add("url", "Email channels have no URL.");
                }

                break;
            default:
                if (url is not null)
                {
                    errors.Add("url", "In-app channels have no URL.");
                }

                if (to is { Count: > 0 })
                {
                    errors.Add("to", "Only email channels have recipients.");
                }

                break;
        }

        return errors;
    }

    /// <summary>
    /// <see cref="Validate"/>, then, for a webhook or Slack URL whose host is a name, resolves it and
    /// refuses it if any address is not public (unless private networks are allowed) or if it does
    /// not resolve at all.
    /// </summary>
    public static async Task<ChannelErrors> ValidateAsync(
        string? channelId, string? type, string? url, IReadOnlyList<string?>? to, NetworkPolicy policy,
        IHostResolver resolver, CancellationToken cancellationToken = default)
    {
        var errors = Validate(channelId, type, url, to, policy);
        if (errors.Has("url") || policy.AllowPrivateNetworks
            || !AlertChannelTypes.TryParse(type, out var channelType)
            || channelType is not (AlertChannelType.Webhook or AlertChannelType.Slack))
        {
            return errors;
        }

        try
        {
            await new DestinationGuard(resolver, policy).ResolveAsync(new Uri(url!).IdnHost, cancellationToken);
        }
        catch (BlockedDestinationException refused)
        {
            errors.Add("url", refused.Message);
        }

        return errors;
    }

    /// <summary>
    /// Null if <paramref name="url"/> is an absolute http(s) URL this policy allows, judged without
    /// resolving names: the scheme, no credentials, a host, and an IP literal or <c>localhost</c>
    /// only when private networks are allowed. Otherwise what is wrong, for the caller to show.
    /// </summary>
    public static string? CheckUrl(string? url, NetworkPolicy policy, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(url))
        {
            return "Required: the URL to send to.";
        }

        if (url.Length > MaxUrlLength || url.Any(char.IsControl) || url.Any(char.IsWhiteSpace))
        {
            return $"Must be a URL of at most {MaxUrlLength} characters without spaces or control characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
        {
            return policy.AllowInsecureUrls ? "Must be an absolute http or https URL." : "Must be an absolute https URL.";
        }

        if (parsed.Scheme == "http" && !policy.AllowInsecureUrls)
        {
            return "Must be https: plain http is allowed only when the host is started with Alerts__AllowInsecureUrls=true.";
        }

        if (parsed.UserInfo.Length > 0)
        {
            // HttpClient would silently drop them; the signature is what authenticates a delivery.
            return "Must not carry credentials (user:password@).";
        }

        if (parsed.IdnHost.Length == 0)
        {
            return "Must name a host.";
        }

        // IP literals and localhost are judged here; names are resolved by ValidateAsync and at each send.
        if (DestinationGuard.RefusalOf(parsed.IdnHost, policy) is { } refusal)
        {
            return refusal;
        }

        uri = parsed;
        return null;
    }

    /// <summary>A plain address (<c>ops@acme.test</c>): no display name, no comments, no line breaks.</summary>
    public static bool IsEmailAddress([NotNullWhen(true)] string? address) =>
        address is { Length: > 0 and <= MaxAddressLength }
        && !address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && MailAddress.TryCreate(address, out var parsed)
        && parsed.Address == address
        && parsed.DisplayName.Length == 0
        && MailboxAddress.TryParse(ParserOptions.Default, address, out var mailbox)
        && mailbox.Address == address;

    private static void Recipients(IReadOnlyList<string?>? to, ChannelErrors errors)
    {
        if (to is null || to.Count == 0)
        {
            errors.Add("to", $"Required: 1–{MaxRecipients} email addresses.");
            return;
        }

        if (to.Count > MaxRecipients)
        {
            errors.Add("to", $"At most {MaxRecipients} addresses (got {to.Count}).");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var address in to)
        {
            if (!IsEmailAddress(address))
            {
                errors.Add("to", $"'{Shorten(address)}' is not an email address such as ops@acme.test.");
            }
            else if (!seen.Add(address))
            {
                errors.Add("to", $"'{address}' is listed twice.");
            }
        }
    }

    private static string Shorten(string? value) => value is null ? "null" : value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,128}\\z")]
    private static partial Regex IdPattern();
}
