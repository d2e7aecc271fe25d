using BudgetActors.Extensions.AI;
using Microsoft.Extensions.AI;

namespace BudgetActors.ChatBudgets;

/// <summary>The calls the sample makes, each showing one rule of the middleware.</summary>
public sealed class Tour(IChatClient chat, Printer printer)
{
    private static ChatOptions As(string user) => new ChatOptions().WithBudgetAttributes(("user", user));

    public async Task RunAsync()
    {
        Printer.Heading("1. one answer: reserve the estimate, call, commit the reported usage");
        var answer = await chat.GetResponseAsync("What is a budget?", As("alice"));
        Console.WriteLine($"   < {answer.Text}");
        printer.Budgets();

        Printer.Heading("2. a stream: updates pass through, the usage is committed when it ends");
        await foreach (var update in chat.GetStreamingResponseAsync("What is a reservation?", As("alice")))
        {
            printer.Stream(update.Text);
        }

        printer.Budgets();

        Printer.Heading("3. a stream abandoned after five words: what was used is committed (estimated)");
        var words = 0;
        await foreach (var update in chat.GetStreamingResponseAsync("What is a commit?", As("alice")))
        {
            printer.Stream(update.Text);
            if (++words == 5)
            {
                printer.Stream(" …(stops reading)");
                break;
            }
        }

        printer.Budgets();

        Printer.Heading("4. alice keeps chatting: past half of her budget the policy downgrades the model");
        for (var i = 1; i <= 5; i++)
        {
            await chat.GetResponseAsync("Tell me more about downgrades.", As("alice"));
        }

        printer.Budgets();

        Printer.Heading("5. bob chats until his token budget refuses: BudgetExceededException, the model is not called");
        for (var i = 1; i <= 20; i++)
        {
            try
            {
                await chat.GetResponseAsync("What is a budget?", As("bob"));
            }
            catch (BudgetExceededException refused)
            {
                Console.WriteLine($"   call {i}: refused by {string.Join(", ", refused.BlockedBy)} — {refused.Message}");
                break;
            }
        }

        printer.Budgets();
    }
}
