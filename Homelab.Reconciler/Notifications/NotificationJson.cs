using System.Text.Json;
using System.Text.Json.Serialization;

namespace Homelab.Reconciler.Notifications;

/// <summary>The notification bodies, generated at compile time (the native executable has no reflection-based serializer); camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(GotifyMessage))]
[JsonSerializable(typeof(AppriseMessage))]
internal sealed partial class NotificationJson : JsonSerializerContext;
