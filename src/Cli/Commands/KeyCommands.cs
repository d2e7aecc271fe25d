using System.CommandLine;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Commands;

/// <summary><c>keys create|revoke</c>: keys are shown once and stored hashed, so the API lists none.</summary>
public static class KeyCommands
{
    public static Command Build()
    {
        var keys = new Command("keys", "API keys of a tenant: create, revoke");

        var role = new Option<string>("--role") { Description = "service or tenant-admin", DefaultValueFactory = _ => "service" }
            .AcceptOnlyFromAmong("service", "tenant-admin");
        var name = new Option<string?>("--name") { Description = "What the key is for" };
        var create = new Command("create", "Issue a key (its secret is shown once)") { role, name };
        create.Action(async (parse, c) =>
        {
            var body = new JsonObject { ["role"] = parse.GetValue(role), ["name"] = parse.GetValue(name) ?? parse.GetValue(role) + " key" };
            var key = await c.Api.PostAsync(c.TenantPath("keys"), body);
            c.Print.Show(key, () =>
            {
                c.Print.Fields([("id", key.Str("id")), ("role", key.Str("role")), ("name", key.Str("name")), ("key", key.Str("key"))]);
                c.Print.Line("The key is shown only this once.");
            });
        });

        var keyId = new Argument<string>("keyId") { Description = "The key's id (not the secret)" };
        var revoke = new Command("revoke", "Revoke a key: it stops working at once") { keyId };
        revoke.Action(async (parse, c) =>
        {
            var id = parse.GetValue(keyId)!;
            await c.Api.DeleteAsync(c.TenantPath("keys", Uri.EscapeDataString(id)));
            c.Print.Show(new JsonObject { ["revoked"] = id }, () => c.Print.Line($"revoked {id}"));
        });

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(revoke);
        return keys;
    }
}
