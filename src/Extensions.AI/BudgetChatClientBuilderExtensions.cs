using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BudgetActors.Extensions.AI;

public static class BudgetChatClientBuilderExtensions
{
    /// <summary>Adds <see cref="BudgetChatClient"/> to the pipeline: every call below it is reserved, committed or released.</summary>
    /// <remarks>Place it outside (before) retrying or function-invoking clients to budget the whole exchange as one call, inside them to budget each model round trip.</remarks>
    public static ChatClientBuilder UseBudgets(this ChatClientBuilder builder, IBudgetClient budgetClient, BudgetChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(budgetClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder.Use((inner, services) => Create(inner, services, budgetClient, options));
    }

    /// <summary>Adds <see cref="BudgetChatClient"/> for <paramref name="tenant"/>, with options set by <paramref name="configure"/>.</summary>
    public static ChatClientBuilder UseBudgets(this ChatClientBuilder builder, IBudgetClient budgetClient, string tenant, Action<BudgetChatOptions>? configure = null) =>
        builder.UseBudgets(budgetClient, Configure(tenant, configure));

    /// <summary>Adds <see cref="BudgetChatClient"/> with the <see cref="IBudgetClient"/> registered in the service provider the pipeline is built with.</summary>
    public static ChatClientBuilder UseBudgets(this ChatClientBuilder builder, string tenant, Action<BudgetChatOptions>? configure = null)
    {
        var options = Configure(tenant, configure);
        return builder.Use((inner, services) => Create(inner, services, services.GetRequiredService<IBudgetClient>(), options));
    }

    private static BudgetChatOptions Configure(string tenant, Action<BudgetChatOptions>? configure)
    {
        var options = new BudgetChatOptions { Tenant = tenant };
        configure?.Invoke(options);
        options.Validate();
        return options;
    }

    private static BudgetChatClient Create(IChatClient inner, IServiceProvider services, IBudgetClient budgets, BudgetChatOptions options) =>
        new(inner, budgets, options, services.GetService<ILoggerFactory>()?.CreateLogger<BudgetChatClient>());
}
