using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests.Fakes;

/// <summary>
/// A chat model that answers with canned chunks and usage, and can be told to fail or to hang (until
/// cancelled) before a given chunk. It answers as the model it was asked for, else its default.
/// </summary>
public sealed class ScriptedChatClient(string defaultModel = "big-model") : IChatClient
{
    private readonly List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> _calls = [];

    public IReadOnlyList<string> Chunks { get; set; } = ["Hello", ", budget", " world!"];

    /// <summary>The usage reported at the end (null: none). Streaming reports it in a last update.</summary>
    public UsageDetails? Usage { get; set; } = new() { InputTokenCount = 120, OutputTokenCount = 30, TotalTokenCount = 150 };

    /// <summary>Throw <see cref="Failure"/> before yielding chunk number N (0 = before any output).</summary>
    public int? FailBeforeChunk { get; set; }

    public Exception Failure { get; set; } = new InvalidOperationException("the model is down");

    /// <summary>Wait for cancellation before yielding chunk number N.</summary>
    public int? HangBeforeChunk { get; set; }

    /// <summary>Completes when the client starts hanging, so a test can cancel at exactly that point.</summary>
    public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ChunksYielded { get; private set; }

    public bool StreamDisposed { get; private set; }

    public IReadOnlyList<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls => _calls;

    public ChatOptions? SingleCallOptions => Assert.Single(_calls).Options;

    public string FullText => string.Concat(Chunks);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        _calls.Add(([.. messages], options));
        await Misbehave(0, cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, FullText))
        {
            ModelId = options?.ModelId ?? defaultModel,
            Usage = Usage,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _calls.Add(([.. messages], options));
        var model = options?.ModelId ?? defaultModel;
        try
        {
            for (var i = 0; i < Chunks.Count; i++)
            {
                await Misbehave(i, cancellationToken);
                ChunksYielded++;
                yield return new ChatResponseUpdate(ChatRole.Assistant, Chunks[i]) { ModelId = model };
            }

            await Misbehave(Chunks.Count, cancellationToken);
            if (Usage is not null)
            {
                yield return new ChatResponseUpdate { Role = ChatRole.Assistant, ModelId = model, Contents = [new UsageContent(Usage)] };
            }
        }
        finally
        {
            StreamDisposed = true;
        }
    }

    private async Task Misbehave(int chunk, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (FailBeforeChunk == chunk)
        {
            throw Failure;
        }

        if (HangBeforeChunk == chunk)
        {
            Hanging.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, defaultModel)
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
