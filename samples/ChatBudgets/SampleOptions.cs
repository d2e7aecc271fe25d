namespace BudgetActors.ChatBudgets;

/// <summary>Where the budgets live: offline (the default) or a BudgetActors API.</summary>
public sealed record SampleOptions(Uri? Api, string? Key, string Tenant, bool ServerPricing)
{
    public const string Usage = """
        ChatBudgets: a chat program whose every model call is paid for out of budgets (UseBudgets).
          (no options)           offline: a fake local model and an in-memory budget service
          --api URL              use the BudgetActors HTTP API at URL instead, e.g. http://127.0.0.1:5080
          --key KEY              a service key of the tenant (required with --api)
          --tenant ID            the tenant (required with --api; offline it is "acme")
          --server-pricing       send llm / llmUsage amounts and let the server price them (a server with
                                 the pricing catalog); by default amounts are priced here from a rate card
        """;

    public bool Offline => Api is null;

    public static SampleOptions? Parse(string[] args)
    {
        Uri? api = null;
        string? key = null, tenant = null;
        var serverPricing = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--api":
                    api = Uri.TryCreate(Value(), UriKind.Absolute, out var uri) ? uri : throw new ArgumentException("--api needs an absolute URL.");
                    break;
                case "--key":
                    key = Value();
                    break;
                case "--tenant":
                    tenant = Value();
                    break;
                case "--server-pricing":
                    serverPricing = true;
                    break;
                case "--help" or "-h":
                    Console.WriteLine(Usage);
                    return null;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (api is not null && (key is null || tenant is null))
        {
            throw new ArgumentException("--api needs --key and --tenant.");
        }

        if (api is null && (key is not null || serverPricing))
        {
            throw new ArgumentException("--key and --server-pricing go with --api.");
        }

        return new SampleOptions(api, key, tenant ?? "acme", serverPricing);
    }
}
