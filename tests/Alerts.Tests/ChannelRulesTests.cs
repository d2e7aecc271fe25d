using BudgetActors.Alerts.Tests.Support;

namespace BudgetActors.Alerts.Tests;

public sealed class ChannelRulesTests
{
    private static readonly NetworkPolicy Strict = NetworkPolicy.Strict;
    private static readonly NetworkPolicy Local = new(AllowInsecureUrls: true, AllowPrivateNetworks: true);

    [Theory]
    [InlineData("webhook", "https://hooks.example.com/budget")]
    [InlineData("slack", "https://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData("webhook", "https://93.184.216.34:8443/hook")]
    [InlineData("webhook", "https://[2606:2800:220:1:248:1893:25c8:1946]/hook")]
    public void Public_https_urls_are_accepted(string type, string url) =>
        Assert.True(ChannelRules.Validate("ops-hook", type, url, null, Strict).IsEmpty);

    [Fact]
    public void The_type_must_be_one_of_the_four()
    {
        var errors = ChannelRules.Validate("x", "pager", "https://hooks.example.com", null, Strict).ToImmutable();
        Assert.Equal(["Must be one of: webhook, slack, email, in-app."], errors["type"].ToArray());
        Assert.False(ChannelRules.Validate("x", "Webhook", "https://hooks.example.com", null, Strict).IsEmpty);
        Assert.False(ChannelRules.Validate("x", null, null, null, Strict).IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/id")]
    public void Channel_ids_follow_the_id_rule(string id) =>
        Assert.True(ChannelRules.Validate(id, "in-app", null, null, Strict).Has("channelId"));

    [Fact]
    public void Plain_http_is_refused_unless_insecure_urls_are_allowed()
    {
        var errors = ChannelRules.Validate("x", "webhook", "http://hooks.example.com/budget", null, Strict).ToImmutable();
        Assert.Contains("Alerts__AllowInsecureUrls=true", Assert.Single(errors["url"]));
        Assert.True(ChannelRules.Validate("x", "webhook", "http://hooks.example.com/budget", null, new NetworkPolicy(true, false)).IsEmpty);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("/relative/path")]
    [InlineData("https://user:pass@hooks.example.com/x")]
    [InlineData("https://hooks.example.com/a b")]
    [InlineData("")]
    [InlineData(null)]
    public void Urls_that_are_not_plain_absolute_http_urls_are_refused(string? url) =>
        Assert.True(ChannelRules.Validate("x", "webhook", url, null, Local).Has("url"));

    [Theory]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://127.8.9.10/hook", "loopback")]
    [InlineData("https://localhost:8080/hook", "loopback name")]
    [InlineData("https://api.localhost/hook", "loopback name")]
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("https://10.1.2.3/hook", "private (RFC 1918)")]
    [InlineData("https://172.16.0.1/hook", "private (RFC 1918)")]
    [InlineData("https://172.31.255.254/hook", "private (RFC 1918)")]
    [InlineData("https://192.168.1.1/hook", "private (RFC 1918)")]
    [InlineData("https://100.64.0.1/hook", "CGNAT")]
    [InlineData("https://100.100.100.200/hook", "CGNAT")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("https://0.0.0.0/hook", "unspecified")]
    [InlineData("https://[fd00:ec2::254]/hook", "unique local")]
    [InlineData("https://[fc00::1]/hook", "unique local")]
    [InlineData("https://[fe80::1]/hook", "link-local")]
    [InlineData("https://[::ffff:127.0.0.1]/hook", "IPv4-mapped")]
    [InlineData("https://[::ffff:169.254.169.254]/hook", "IPv4-mapped")]
    [InlineData("https://2130706433/hook", "loopback")]
    [InlineData("https://0x7f000001/hook", "loopback")]
    public void Non_public_addresses_are_refused_unless_private_networks_are_allowed(string url, string kind)
    {
        var errors = ChannelRules.Validate("x", "webhook", url, null, new NetworkPolicy(true, false)).ToImmutable();
        var message = Assert.Single(errors["url"]);
        Assert.Contains(kind, message);
        Assert.Contains("Alerts:AllowPrivateNetworks", message);
        Assert.True(ChannelRules.Validate("x", "webhook", url, null, Local).IsEmpty);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_is_refused_at_save_time()
    {
        var resolver = new FakeHostResolver()
            .Set("hooks.example.com", "93.184.216.34")
            .Set("intranet.example.com", "93.184.216.34", "10.0.0.7")
            .Set("metadata.example.com", "169.254.169.254");

        Assert.True((await ChannelRules.ValidateAsync("x", "webhook", "https://hooks.example.com/a", null, Strict, resolver)).IsEmpty);

        var mixed = (await ChannelRules.ValidateAsync("x", "webhook", "https://intranet.example.com/a", null, Strict, resolver)).ToImmutable();
        Assert.Equal(["'intranet.example.com' resolves to 10.0.0.7, a non-public address: private (RFC 1918). Private networks are not allowed (Alerts:AllowPrivateNetworks)."], mixed["url"].ToArray());

        var metadata = (await ChannelRules.ValidateAsync("x", "slack", "https://metadata.example.com/a", null, Strict, resolver)).ToImmutable();
        Assert.Contains("169.254.169.254", Assert.Single(metadata["url"]));

        var unknown = (await ChannelRules.ValidateAsync("x", "webhook", "https://nowhere.example.com/a", null, Strict, resolver)).ToImmutable();
        Assert.StartsWith("'nowhere.example.com' could not be resolved", Assert.Single(unknown["url"]));

        // Allowed private networks: names are not resolved at all (local receivers need no DNS).
        Assert.True((await ChannelRules.ValidateAsync("x", "webhook", "http://intranet.example.com/a", null, Local, resolver)).IsEmpty);
    }

    [Fact]
    public void Email_channels_need_one_to_twenty_valid_addresses()
    {
        Assert.True(ChannelRules.Validate("m", "email", null, ["ops@acme.test"], Strict).IsEmpty);
        Assert.True(ChannelRules.Validate("m", "email", null, [.. Enumerable.Range(1, 20).Select(i => $"ops{i}@acme.test")], Strict).IsEmpty);

        Assert.Equal(["Required: 1–20 email addresses."], ChannelRules.Validate("m", "email", null, [], Strict).ToImmutable()["to"].ToArray());
        Assert.True(ChannelRules.Validate("m", "email", null, null, Strict).Has("to"));
        Assert.Equal(["At most 20 addresses (got 21)."],
            ChannelRules.Validate("m", "email", null, [.. Enumerable.Range(1, 21).Select(i => $"ops{i}@acme.test")], Strict).ToImmutable()["to"].ToArray());
        Assert.Equal(["'OPS@acme.test' is listed twice."], ChannelRules.Validate("m", "email", null, ["ops@acme.test", "OPS@acme.test"], Strict).ToImmutable()["to"].ToArray());
        Assert.True(ChannelRules.Validate("m", "email", "https://hooks.example.com", ["ops@acme.test"], Strict).Has("url"));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("ops@")]
    [InlineData("@acme.test")]
    [InlineData("Ops <ops@acme.test>")]
    [InlineData("ops@acme.test\r\nBcc: all@acme.test")]
    [InlineData("ops @acme.test")]
    [InlineData(null)]
    public void Invalid_addresses_are_refused(string? address) =>
        Assert.True(ChannelRules.Validate("m", "email", null, [address], Strict).Has("to"));

    [Fact]
    public void In_app_channels_need_nothing_and_take_nothing()
    {
        Assert.True(ChannelRules.Validate("feed", "in-app", null, null, Strict).IsEmpty);
        Assert.True(ChannelRules.Validate("feed", "in-app", "https://hooks.example.com", null, Strict).Has("url"));
        Assert.True(ChannelRules.Validate("feed", "in-app", null, ["ops@acme.test"], Strict).Has("to"));
        Assert.True(ChannelRules.Validate("hook", "webhook", "https://hooks.example.com", ["ops@acme.test"], Strict).Has("to"));
    }

    [Fact]
    public async Task The_validator_service_uses_the_hosts_policy()
    {
        var resolver = new FakeHostResolver().Set("hooks.example.com", "127.0.0.1");
        await using var strict = await DeliveryHarness.StartAsync(
            new Dictionary<string, string> { ["AllowInsecureUrls"] = "false", ["AllowPrivateNetworks"] = "false" }, resolver: resolver, start: false);
        var validator = (AlertChannelValidator)strict.Services.GetService(typeof(AlertChannelValidator))!;

        Assert.True((await validator.ValidateAsync("h", "webhook", "https://hooks.example.com/x", null)).Has("url"));
        Assert.True((await validator.ValidateAsync(AlertChannel.Webhook("h", "http://93.184.216.34/x", ChannelSecrets.Generate()))).Has("url"));
        Assert.True((await validator.ValidateAsync(AlertChannel.Email("m", ["ops@acme.test"]))).IsEmpty);
    }
}
