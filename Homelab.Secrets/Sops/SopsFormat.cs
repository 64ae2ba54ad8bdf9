namespace Homelab.Secrets.Sops;

/// <summary>The file formats SOPS stores values in, chosen by extension as the sops CLI does.</summary>
public enum SopsFormat
{
    Yaml,
    Json,
    Dotenv,
}
