namespace BudgetActors.Alerts;

/// <summary>The SMTP server email channels send through (<c>Alerts:Smtp</c>, env <c>Alerts__Smtp__*</c>).</summary>
public sealed class SmtpOptions
{
    /// <summary>Null: email channels cannot send (each attempt fails saying so).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>The sender address, such as alerts@example.com.</summary>
    public string? From { get; set; }

    /// <summary>Null: no authentication.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>TLS: implicit on port 465, STARTTLS (required) on any other port. False: plain SMTP (local relays and tests).</summary>
    public bool UseTls { get; set; } = true;
}
