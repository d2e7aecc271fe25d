using BudgetActors.WebhookReceiver;

// dotnet run --project samples/WebhookReceiver -- --urls http://127.0.0.1:5090
// with the channel's secret in Webhook__Secret (see README.md).
var app = ReceiverApp.Build(args);
app.Run();
