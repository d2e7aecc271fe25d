using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI;

/// <summary>
/// What one chat call asks of the budgets, worked out before anything is sent: the model, the
/// <see cref="LlmEstimate"/>, the attributes, and the options the inner client will get.
/// </summary>
internal sealed partial record CallPlan(
    string Model,
    LlmEstimate Estimate,
    long PromptTokens,
    IReadOnlyDictionary<string, string> Attributes,
    ChatOptions? InnerOptions)
{
    public static CallPlan Create(IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, string model, BudgetChatOptions options)
    {
        var maxOutput = chatOptions?.MaxOutputTokens ?? options.DefaultMaxOutputTokens;
        var tools = options.CountToolDefinitions ? ToolDefinitions(chatOptions) : [];
        var estimate = new LlmEstimate(model, [.. messages.Select(ToPromptMessage)], null, maxOutput, tools, options.Tier);
        return new CallPlan(model, estimate, TokenEstimate.ForPrompt(estimate), AttributesOf(messages, chatOptions, model, options),
            InnerOptionsOf(chatOptions, options));
    }

    /// <summary>
    /// The plan of the same call on another model (a downgrade): estimated for that model, with that model
    /// as the <c>model</c> attribute, and the caller's options (cloned) switched to it, which is also what
    /// <see cref="BudgetChatOptions.AttributesProvider"/> is shown.
    /// </summary>
    public static CallPlan Downgraded(IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, string model, BudgetChatOptions options)
    {
        var switched = chatOptions?.Clone() ?? new ChatOptions();
        switched.ModelId = model;
        return Create(messages, switched, model, options);
    }

    /// <summary>
    /// The idempotency key of the reservation that replaces a downgraded one: derived from the first, so that
    /// a call retried with the same key finds the same replacement, and different from it, because the body
    /// differs (the service answers a key reused with another body with a 409). Keys are 1–256 printable
    /// ASCII characters; a derived key that would not be one is hashed.
    /// </summary>
    public static string? DowngradeKey(string? key, string model)
    {
        if (key is null)
        {
            return null;
        }

        var readable = key + "~" + model;
        return readable.Length <= 256 && readable.All(c => c is >= '!' and <= '~')
            ? readable
            : "downgrade-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + model)));
    }

    /// <summary>
    /// The text of a message as far as its tokens go: text and reasoning, function calls (name and JSON
    /// arguments) and function results. Images, audio and other binary content are not counted.
    /// </summary>
    public static PromptMessage ToPromptMessage(ChatMessage message) =>
        new(message.Role.Value, string.Concat(message.Contents.Select(TextOf)), message.AuthorName);

    public static string TextOf(AIContent content) => content switch
    {
        TextContent t => t.Text,
        TextReasoningContent r => r.Text,
        FunctionCallContent call => call.Name + Json(call.Arguments),
        FunctionResultContent result => result.Result as string ?? Json(result.Result),
        _ => "",
    };

    private static ImmutableArray<string> ToolDefinitions(ChatOptions? chatOptions)
    {
        if (chatOptions?.Tools is not { Count: > 0 } tools)
        {
            return [];
        }

        return [.. tools.Select(tool => tool is AIFunctionDeclaration f
            ? JsonSerializer.Serialize(new { name = f.Name, description = f.Description, parameters = f.JsonSchema })
            : JsonSerializer.Serialize(new { name = tool.Name, description = tool.Description }))];
    }

    /// <summary>
    /// Later sources win: the requested model (as <c>model</c>), <see cref="BudgetChatOptions.Attributes"/>,
    /// <see cref="BudgetChatOptions.AttributesProvider"/>, then the call's own under <see cref="BudgetChatOptions.AttributesKey"/>.
    /// </summary>
    private static IReadOnlyDictionary<string, string> AttributesOf(
        IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, string model, BudgetChatOptions options)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.AddModelAttribute && AttributeValue().IsMatch(model))
        {
            attributes["model"] = model;
        }

        Merge(attributes, options.Attributes);
        Merge(attributes, options.AttributesProvider?.Invoke(messages, chatOptions));
        if (chatOptions?.AdditionalProperties?.TryGetValue(BudgetChatOptions.AttributesKey, out var perCall) == true)
        {
            Merge(attributes, perCall as IEnumerable<KeyValuePair<string, string>>
                ?? throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{BudgetChatOptions.AttributesKey}\"] must be string pairs (a dictionary of string to string)."));
        }

        return attributes;
    }

    /// <summary>The caller's options minus the middleware's own property, with the reserved output bound applied.</summary>
    private static ChatOptions? InnerOptionsOf(ChatOptions? chatOptions, BudgetChatOptions options)
    {
        var carriesAttributes = chatOptions?.AdditionalProperties?.ContainsKey(BudgetChatOptions.AttributesKey) == true;
        var boundOutput = options.ApplyDefaultMaxOutputTokens && chatOptions?.MaxOutputTokens is null;
        if (!carriesAttributes && !boundOutput)
        {
            return chatOptions;
        }

        var inner = chatOptions?.Clone() ?? new ChatOptions(); // Clone copies AdditionalProperties: the caller's stays intact
        if (carriesAttributes)
        {
            inner.AdditionalProperties?.Remove(BudgetChatOptions.AttributesKey);
        }

        if (boundOutput)
        {
            inner.MaxOutputTokens = options.DefaultMaxOutputTokens;
        }

        return inner;
    }

    private static void Merge(Dictionary<string, string> into, IEnumerable<KeyValuePair<string, string>>? from)
    {
        foreach (var (name, value) in from ?? [])
        {
            into[name] = value;
        }
    }

    private static string Json(object? value)
    {
        if (value is null)
        {
            return "";
        }

        try
        {
            return JsonSerializer.Serialize(value, CompactJson);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return value.ToString() ?? ""; // only its length matters
        }
    }

    /// <summary>M.E.AI's serializer settings (it knows the content types), without indentation: whitespace is not prompt.</summary>
    private static readonly JsonSerializerOptions CompactJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>API.md's attribute values: 1–256 characters of [A-Za-z0-9._:@/+-].</summary>
    [GeneratedRegex("^[A-Za-z0-9._:@/+-]{1,256}\\z")]
    private static partial Regex AttributeValue();
}
