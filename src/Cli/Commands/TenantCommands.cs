using System.CommandLine;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Commands;

/// <summary><c>tenants get|create|update</c>: the API has no tenant listing, so there is no <c>list</c>.</summary>
public static class TenantCommands
{
    public static Command Build()
    {
        var tenants = new Command("tenants", "Tenants: get, create (admin key), update");

        var getId = new Argument<string?>("id") { Description = "Tenant id (default: --tenant)", Arity = ArgumentArity.ZeroOrOne };
        var get = new Command("get", "Show a tenant") { getId };
        get.Action(async (parse, c) =>
        {
            var id = parse.GetValue(getId) ?? c.Tenant;
            Show(c, await c.Api.GetAsync("v1/tenants/" + Uri.EscapeDataString(id)));
        });

        var createId = new Argument<string>("id") { Description = "New tenant's id" };
        var name = new Option<string?>("--name") { Description = "Display name (default: the id)" };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 currency", DefaultValueFactory = _ => "USD" };
        var timezone = new Option<string>("--timezone") { Description = "IANA time zone of its days", DefaultValueFactory = _ => "UTC" };
        var create = new Command("create", "Create a tenant (admin key)") { createId, name, currency, timezone };
        create.Action(async (parse, c) =>
        {
            var id = parse.GetValue(createId)!;
            var body = new JsonObject
            {
                ["id"] = id,
                ["name"] = parse.GetValue(name) ?? id,
                ["currency"] = parse.GetValue(currency),
                ["timezone"] = parse.GetValue(timezone),
            };
            Show(c, await c.Api.PostAsync("v1/tenants", body));
        });

        // PATCH /v1/tenants/{t} changes the default tier and nothing else (API.md, "Tiers").
        var defaultTier = new Option<string?>("--default-tier") { Description = "Tier for subjects without one" };
        var noDefaultTier = new Option<bool>("--no-default-tier") { Description = "Subjects without a tier get no budgets" };
        var update = new Command("update", "Set or clear the tenant's default tier") { defaultTier, noDefaultTier };
        update.Action(async (parse, c) =>
        {
            var body = new JsonObject();
            if (parse.GetValue(noDefaultTier))
            {
                body["defaultTier"] = null;
            }
            else if (parse.GetValue(defaultTier) is { } t)
            {
                body["defaultTier"] = t;
            }

            Show(c, await c.Api.PatchAsync(c.TenantPath().TrimEnd('/'), body));
        });

        tenants.Subcommands.Add(get);
        tenants.Subcommands.Add(create);
        tenants.Subcommands.Add(update);
        return tenants;
    }

    private static void Show(CliContext c, JsonNode? tenant) => c.Print.Show(tenant, () => c.Print.Fields(
    [
        ("id", tenant.Str("id")),
        ("name", tenant.Str("name")),
        ("currency", tenant.Str("currency")),
        ("timezone", tenant.Str("timezone")),
        ("default tier", tenant.Str("defaultTier")),
        ("created", tenant.Str("createdAt")),
    ]));
}
