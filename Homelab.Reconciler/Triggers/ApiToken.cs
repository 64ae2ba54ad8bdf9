using System.Security.Cryptography;
using System.Text;

namespace Homelab.Reconciler.Triggers;

/// <summary>Bearer-token check for the mutating endpoints, compared in constant time.</summary>
internal static class ApiToken
{
    public static bool IsAuthorized(HttpRequest request, string? token)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(token))
        {
            // No token configured: mutating endpoints stay closed rather than open to anyone.
            return false;
        }

        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..]), Encoding.UTF8.GetBytes(token));
    }
}
