using System.Text;

namespace BudgetActors.Alerts;

/// <summary>An alert email's subject and plain-text body.</summary>
public sealed record EmailContent(string Subject, string Body)
{
    public const string SubjectPrefix = "[BudgetActors] ";

    public static EmailContent For(AlertNotice notice)
    {
        var body = new StringBuilder();
        body.Append(notice.Message).Append("\n\n");
        Line(body, "Budget", $"{notice.BudgetId} (tenant {notice.Tenant})");
        Line(body, "Event", notice.Threshold is { } threshold
            ? $"{notice.Type.ToWire()} (threshold {NoticeText.Percent(threshold)})"
            : notice.Type.ToWire());
        Line(body, "Spent", NoticeText.Amount(notice.Spent, notice));
        Line(body, "Limit", NoticeText.Limit(notice));
        Line(body, "Utilization", NoticeText.Percent(notice.Utilization));
        Line(body, "State", notice.State);
        Line(body, "Period ends", NoticeText.PeriodEnd(notice));
        Line(body, "Raised at", NoticeText.Time(notice.CreatedAt));
        Line(body, "Alert", notice.AlertId);
        body.Append('\n')
            .Append($"Acknowledge it with POST /v1/tenants/{notice.Tenant}/alerts/{notice.AlertId}/ack ")
            .Append($"(budgetctl alerts ack {notice.AlertId}), or it may be escalated.\n");

        // A subject is one line: ids cannot hold line breaks, but a caller's message could.
        var subject = SubjectPrefix + NoticeText.Title(notice).ReplaceLineEndings(" ");
        return new EmailContent(subject, body.ToString());
    }

    private static void Line(StringBuilder body, string name, string value) =>
        body.Append((name + ":").PadRight(14)).Append(value).Append('\n');
}
