namespace BudgetActors.Alerts;

/// <summary>A send refused before any connection was made: the destination is not one a channel may reach.</summary>
public sealed class BlockedDestinationException(string message) : Exception(message);
