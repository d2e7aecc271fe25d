using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace BudgetActors.ChatBudgets;

/// <summary>
/// A stand-in for a real model, so the sample runs offline: it answers with canned text, word by word
/// when streaming, and reports usage the way a provider does (input from the prompt's length, output
/// from the answer's), in the last update of a stream.
/// </summary>
public sealed class CannedChatClient(string defaultModel) : IChatClient
{
    private static readonly (string Topic, string Answer)[] Answers =
    [
        ("budget", "A budget is a limit on what may be spent in a period, checked before the spending happens rather than discovered on the invoice."),
        ("reservation", "A reservation holds the estimated cost of a call on every budget that applies, so that two calls cannot both spend the last dollar."),
        ("commit", "A commit replaces the hold with what the call really cost; it may be more or less than the estimate, and it is recorded either way."),
        ("downgrade", "A downgrade is the budget's way of saying: go on, but with a cheaper model, because the money is running low."),
    ];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.ToList();
        await Task.Delay(50, cancellationToken); // the model thinks
        var answer = AnswerTo(prompt);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = options?.ModelId ?? defaultModel,
            Usage = UsageOf(prompt, answer),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages.ToList();
        var model = options?.ModelId ?? defaultModel;
        var answer = AnswerTo(prompt);
        foreach (var word in answer.Split(' ').Select((w, i) => i == 0 ? w : " " + w))
        {
            await Task.Delay(15, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, word) { ModelId = model };
        }

        yield return new ChatResponseUpdate { ModelId = model, Contents = [new UsageContent(UsageOf(prompt, answer))] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("canned", null, defaultModel)
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>The canned answer whose topic the last message mentions (the first one otherwise).</summary>
    private static string AnswerTo(IReadOnlyList<ChatMessage> prompt)
    {
        var question = prompt.LastOrDefault()?.Text ?? "";
        return Answers.FirstOrDefault(a => question.Contains(a.Topic, StringComparison.OrdinalIgnoreCase)).Answer ?? Answers[0].Answer;
    }

    /// <summary>Roughly what a provider would count: a token per four characters, plus the chat format's overhead.</summary>
    private static UsageDetails UsageOf(IReadOnlyList<ChatMessage> prompt, string answer)
    {
        var input = prompt.Sum(m => m.Text.Length / 4 + 4) + 3;
        var output = answer.Length / 4 + 1;
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }
}
