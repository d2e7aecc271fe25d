using Microsoft.Extensions.Options;

namespace BudgetActors.Alerts;

/// <summary>Refuses settings the worker cannot run with, at start (ValidateOnStart), naming each key.</summary>
public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var failures = new List<string>();
        var d = options.Delivery;
        const string D = "Alerts:Delivery:";
        if (d.SendTimeout <= TimeSpan.Zero || d.SendTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{D}SendTimeout must be above 0 and at most 5 minutes (got {d.SendTimeout}).");
        }

        if (d.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"{D}MaxAttempts must be 1–100 (got {d.MaxAttempts}).");
        }

        if (d.FirstRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"{D}FirstRetryDelay must be above 0 (got {d.FirstRetryDelay}).");
        }

        if (d.MaxRetryDelay < d.FirstRetryDelay)
        {
            failures.Add($"{D}MaxRetryDelay must be at least FirstRetryDelay (got {d.MaxRetryDelay}).");
        }

        if (!(d.BackoffFactor >= 1 && d.BackoffFactor <= 10))
        {
            failures.Add($"{D}BackoffFactor must be 1–10 (got {d.BackoffFactor}).");
        }

        if (!(d.Jitter >= 0 && d.Jitter <= 1))
        {
            failures.Add($"{D}Jitter must be 0–1 (got {d.Jitter}).");
        }

        if (d.MaxInFlight is < 1 or > 1024)
        {
            failures.Add($"{D}MaxInFlight must be 1–1024 (got {d.MaxInFlight}).");
        }

        if (d.MaxInFlightPerTenant < 1 || d.MaxInFlightPerTenant > d.MaxInFlight)
        {
            failures.Add($"{D}MaxInFlightPerTenant must be 1–MaxInFlight (got {d.MaxInFlightPerTenant}).");
        }

        if (d.LeaseDuration <= d.SendTimeout)
        {
            failures.Add($"{D}LeaseDuration must exceed SendTimeout, or a send in progress could be claimed again (got {d.LeaseDuration}).");
        }

        if (d.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{D}PollInterval must be above 0 (got {d.PollInterval}).");
        }

        if (d.Retention <= TimeSpan.Zero)
        {
            failures.Add($"{D}Retention must be above 0 (got {d.Retention}).");
        }

        if (options.ForecastInterval < TimeSpan.FromSeconds(1) || options.ForecastInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"Alerts:ForecastInterval must be 1 second to 1 day (got {options.ForecastInterval}).");
        }

        var smtp = options.Smtp;
        if (!string.IsNullOrWhiteSpace(smtp.Host))
        {
            if (smtp.Port is < 1 or > 65535)
            {
                failures.Add($"Alerts:Smtp:Port must be 1–65535 (got {smtp.Port}).");
            }

            if (!ChannelRules.IsEmailAddress(smtp.From))
            {
                failures.Add($"Alerts:Smtp:From must be an email address such as alerts@example.com when Alerts:Smtp:Host is set (got '{smtp.From}').");
            }

            if (!string.IsNullOrEmpty(smtp.User) && smtp.Password is null)
            {
                failures.Add("Alerts:Smtp:Password is required with Alerts:Smtp:User.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
