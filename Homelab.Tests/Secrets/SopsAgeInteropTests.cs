using System.Text.Json.Nodes;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Secrets;

/// <summary>
/// What we encrypt, npm's sops-age decrypts (an independent SOPS reader on an independent age, age-encryption): the
/// same values, per format. The data key's age layer and the AES-GCM values with their key-path AAD are both checked.
/// </summary>
public sealed class SopsAgeInteropTests
{
    [Theory]
    [InlineData("secret.yaml", SopsSamples.Yaml, SopsSamples.YamlJson)]
    [InlineData("secret.json", SopsSamples.Json, SopsSamples.Json)]
    [InlineData("secret.env", SopsSamples.Dotenv, SopsSamples.DotenvJson)]
    public async Task Sops_age_decrypts_what_we_encrypt_to_the_same_values(string name, string plaintext, string expected)
    {
        var identity = AgeIdentity.Generate();
        var result = SopsFile.Encrypt(name, plaintext, new SopsCreationRule([AgeIdentity.Generate().Recipient, identity.Recipient], new SopsRules()));
        Assert.Null(result.Error);
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-sops-").FullName, name);
        await File.WriteAllTextAsync(file, result.Value);
        var values = await SopsAgeDecoder.DecryptAsync(file, identity.SecretText());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), values), $"sops-age gave {values.ToJsonString()}");
    }

    [Fact]
    public async Task Sops_age_decrypts_an_encrypted_regex_file_leaving_the_plain_values_alone()
    {
        var identity = AgeIdentity.Generate();
        var result = SopsFile.Encrypt("secret.yaml", SopsSamples.Yaml, new SopsCreationRule([identity.Recipient], new SopsRules(EncryptedRegex: "^(data|stringData)$")));
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-sops-").FullName, "secret.yaml");
        await File.WriteAllTextAsync(file, result.Value);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SopsSamples.YamlJson), await SopsAgeDecoder.DecryptAsync(file, identity.SecretText())));
    }
}
