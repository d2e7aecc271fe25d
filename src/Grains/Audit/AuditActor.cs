namespace BudgetActors.Grains.Audit;

/// <summary>
/// Who is acting, carried with a call through Orleans' request context: the HTTP host sets the
/// caller's key id before it calls the grains, a job worker may set its own, and it flows to every
/// grain call made on the way. Reminders, timers and sweeps act as <see cref="System"/>.
/// </summary>
public static class AuditActor
{
    public const string System = "system";

    private const string Key = "budget-actors.actor";

    public static string Current => RequestContext.Get(Key) as string is { Length: > 0 } actor ? actor : System;

    public static void Set(string actor) => RequestContext.Set(Key, actor);
}
