using System.CommandLine;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Http;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Commands;

/// <summary><c>usage record</c>, <c>check</c>, <c>reserve</c>, <c>commit</c>, <c>release</c>: the admission and spend calls.</summary>
public static class SpendCommands
{
    private sealed class RequestOptions
    {
        public readonly Option<decimal?> Cost = new("--cost") { Description = "Cost in the tenant's currency" };
        public readonly Option<long?> Tokens = new("--tokens") { Description = "Tokens" };
        public readonly Option<long?> Operations = new("--operations") { Description = "Operations (default 1)" };
        public readonly Option<string?> Model = new("--model") { Description = "LLM model: price tokens from the catalog instead of giving a cost" };
        public readonly Option<long?> InputTokens = new("--input-tokens") { Description = "With --model, actual: input tokens" };
        public readonly Option<long?> OutputTokens = new("--output-tokens") { Description = "With --model, actual: output tokens" };
        public readonly Option<long?> CachedInputTokens = new("--cached-input-tokens") { Description = "With --model, actual: cached input tokens" };
        public readonly Option<string?> Prompt = new("--prompt") { Description = "With --model, estimate: the prompt to count tokens of" };
        public readonly Option<long?> MaxOutputTokens = new("--max-output-tokens") { Description = "With --model, estimate: most output tokens" };

        /// <summary>The key given, or a new one: a retry of the same command line is a new request unless it names its key.</summary>
        public string IdempotencyKeyOf(ParseResult parse) => parse.GetValue(IdempotencyKey) ?? "budgetctl-" + Guid.NewGuid().ToString("N");

    public readonly Option<string[]> Attributes = new("--attr", "-a")
        {
            Description = "Attribute name=value (repeat: -a user=alice -a model=gpt-4o)",
            AllowMultipleArgumentsPerToken = false,
        };

        public readonly Option<string?> IdempotencyKey = new("--idempotency-key")
        {
            Description = "Makes a retry count once (default: a new random key)",
        };

        public readonly Option<int> Priority = new("--priority") { Description = "Request priority", DefaultValueFactory = _ => 0 };

        public void AddTo(Command command, bool actual)
        {
            command.Options.Add(Cost);
            command.Options.Add(Tokens);
            command.Options.Add(Operations);
            command.Options.Add(Model);
            if (actual)
            {
                command.Options.Add(InputTokens);
                command.Options.Add(OutputTokens);
                command.Options.Add(CachedInputTokens);
            }
            else
            {
                command.Options.Add(Prompt);
                command.Options.Add(MaxOutputTokens);
            }
        }

        /// <summary>Adds the amount member to a request: <c>actual</c>/<c>llmUsage</c> or <c>estimate</c>/<c>llm</c>.</summary>
        public void Fill(JsonObject body, ParseResult parse, bool actual)
        {
            if (parse.GetValue(Model) is { } model)
            {
                if (parse.GetValue(Cost) is not null)
                {
                    throw CliException.BadInput("give either --cost (a stated amount) or --model (priced from the catalog), not both");
                }

                body[actual ? "llmUsage" : "llm"] = actual
                    ? new JsonObject
                    {
                        ["model"] = model,
                        ["inputTokens"] = parse.GetValue(InputTokens) ?? 0,
                        ["outputTokens"] = parse.GetValue(OutputTokens) ?? 0,
                        ["cachedInputTokens"] = parse.GetValue(CachedInputTokens),
                    }.WithoutNulls()
                    : new JsonObject
                    {
                        ["model"] = model,
                        ["prompt"] = parse.GetValue(Prompt) ?? "",
                        ["maxOutputTokens"] = parse.GetValue(MaxOutputTokens),
                    }.WithoutNulls();
                return;
            }

            body[actual ? "actual" : "estimate"] = new JsonObject
            {
                ["cost"] = parse.GetValue(Cost),
                ["tokens"] = parse.GetValue(Tokens),
                ["operations"] = parse.GetValue(Operations),
            }.WithoutNulls();
        }
    }

    public static Command Usage()
    {
        var amount = new RequestOptions();
        var timestamp = new Option<DateTimeOffset?>("--timestamp") { Description = "When the spend happened (RFC 3339; default now)" };
        var record = new Command("record", "Record spend that happened without a reservation") { amount.Attributes, amount.IdempotencyKey, timestamp };
        amount.AddTo(record, actual: true);
        record.Action(async (parse, c) =>
        {
            var body = new JsonObject
            {
                ["idempotencyKey"] = amount.IdempotencyKeyOf(parse),
                ["attributes"] = AttributesOf(parse, amount.Attributes),
            };
            amount.Fill(body, parse, actual: true);
            if (parse.GetValue(timestamp) is { } at)
            {
                body["timestamp"] = at.ToString("O");
            }

            var answer = await c.Api.PostAsync(c.TenantPath("usage"), body);
            c.Print.Show(answer, () =>
            {
                c.Print.Line($"{(answer.At("duplicate")?.GetValue<bool>() == true ? "duplicate (counted once before)" : "recorded")}: " +
                    $"cost {Json.Money(answer.Dec("charged.cost"))}, tokens {answer.Str("charged.tokens")}, operations {answer.Str("charged.operations")}");
                Budgets(c, answer);
            });
        });
        return new Command("usage", "Usage: record spend") { record };
    }

    public static Command Check()
    {
        var amount = new RequestOptions();
        var check = new Command("check", "May this be spent? (holds nothing; exit 1 when blocked)") { amount.Attributes, amount.Priority };
        amount.AddTo(check, actual: false);
        check.Action(async (parse, c, cancel) =>
        {
            var body = new JsonObject { ["attributes"] = AttributesOf(parse, amount.Attributes), ["priority"] = parse.GetValue(amount.Priority) };
            amount.Fill(body, parse, actual: false);
            var answer = await c.Api.PostAsync(c.TenantPath("check"), body, cancel);
            var decision = answer.Str("decision");
            c.Print.Show(answer, () =>
            {
                c.Print.Line($"decision: {decision}" + (answer.At("throttleFactor") is { } f ? $" (throttle factor {f})" : "")
                    + (answer.At("downgradeTo") is { } d ? $" (downgrade to {d})" : ""));
                Reasons(c, answer);
                Budgets(c, answer);
            });
            return decision == "block" ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return check;
    }

    public static Command Reserve()
    {
        var amount = new RequestOptions();
        var ttl = new Option<int>("--ttl") { Description = "Seconds the hold lasts unless committed or released", DefaultValueFactory = _ => 300 };
        var reserve = new Command("reserve", "Hold an estimate on every applicable budget (exit 1 when not granted)") { amount.Attributes, amount.IdempotencyKey, ttl, amount.Priority };
        amount.AddTo(reserve, actual: false);
        reserve.Action(async (parse, c, cancel) =>
        {
            var body = new JsonObject
            {
                ["idempotencyKey"] = amount.IdempotencyKeyOf(parse),
                ["attributes"] = AttributesOf(parse, amount.Attributes),
                ["ttlSeconds"] = parse.GetValue(ttl),
                ["priority"] = parse.GetValue(amount.Priority),
            };
            amount.Fill(body, parse, actual: false);
            var answer = await c.Api.PostAsync(c.TenantPath("reservations"), body, cancel);
            var granted = answer.At("granted")?.GetValue<bool>() == true;
            c.Print.Show(answer, () =>
            {
                c.Print.Line(granted
                    ? $"granted: reservation {answer.Str("reservationId")} (decision {answer.Str("decision")}, expires {answer.Str("expiresAt")})"
                    : $"not granted (decision {answer.Str("decision")}, blocked by {string.Join(", ", answer.Items("blockedBy").Select(b => b.ToString()))})");
                Reasons(c, answer);
                Budgets(c, answer);
            });
            return granted ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return reserve;
    }

    public static Command Commit()
    {
        var amount = new RequestOptions();
        var id = new Argument<string>("reservationId");
        var commit = new Command("commit", "Charge a reservation's actual amount; the hold is replaced") { id };
        amount.AddTo(commit, actual: true);
        commit.Action(async (parse, c) =>
        {
            var body = new JsonObject();
            amount.Fill(body, parse, actual: true);
            var answer = await c.Api.PostAsync(c.TenantPath("reservations", Uri.EscapeDataString(parse.GetValue(id)!), "commit"), body);
            c.Print.Show(answer, () =>
            {
                c.Print.Line($"committed: cost {Json.Money(answer.Dec("charged.cost"))}, tokens {answer.Str("charged.tokens")}, operations {answer.Str("charged.operations")}");
                Budgets(c, answer);
            });
        });
        return commit;
    }

    public static Command Release()
    {
        var id = new Argument<string>("reservationId");
        var release = new Command("release", "Free a reservation's hold without charging it") { id };
        release.Action(async (parse, c) =>
        {
            var reservation = parse.GetValue(id)!;
            var answer = await c.Api.PostAsync(c.TenantPath("reservations", Uri.EscapeDataString(reservation), "release"), null);
            c.Print.Show(answer, () => c.Print.Line($"released {reservation}"));
        });
        return release;
    }

    /// <summary>The <c>--attr name=value</c> pairs as the request's attributes.</summary>
    private static JsonObject AttributesOf(ParseResult parse, Option<string[]> option)
    {
        var attributes = new JsonObject();
        foreach (var pair in parse.GetValue(option) ?? [])
        {
            var cut = pair.IndexOf('=');
            if (cut <= 0)
            {
                throw CliException.BadInput($"--attr '{pair}' is not name=value");
            }

            attributes[pair[..cut]] = pair[(cut + 1)..];
        }

        return attributes;
    }

    private static void Reasons(CliContext c, JsonNode? answer)
    {
        foreach (var reason in answer.Items("reasons"))
        {
            c.Print.Line("  " + reason.Str("message"));
        }
    }

    private static void Budgets(CliContext c, JsonNode? answer) => c.Print.Table(
        ["budget", "state", "cost", "tokens", "operations"],
        answer.Items("budgets").Select(b => (IReadOnlyList<string>)
            [b.Str("id"), b.Str("state"), Json.SpentOfLimit(b.At("cost")), Json.SpentOfLimit(b.At("tokens")), Json.SpentOfLimit(b.At("operations"))]),
        empty: "no budget applies");
}
