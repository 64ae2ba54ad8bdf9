namespace Homelab.Tests.Secrets;

/// <summary>Plaintext files of each format with every value type sops knows, and the values as JSON (what a decoder must give).</summary>
internal static class SopsSamples
{
    public const string Yaml = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: navidrome-admin
        stringData:
          password: "s3cr3t: with a colon"
          token: abc123
          port: 8080
          ratio: 1.5
          enabled: true
          empty: ""
          nothing: null
          quoted: "123"
          when: "2024-01-02"
          multi: |
            line one
            line two
          list:
            - one
            - 2
          note_unencrypted: stays readable
        """;

    public const string YamlJson = """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"navidrome-admin"},"stringData":{"password":"s3cr3t: with a colon","token":"abc123","port":8080,"ratio":1.5,"enabled":true,"empty":"","nothing":null,"quoted":"123","when":"2024-01-02","multi":"line one\nline two\n","list":["one",2],"note_unencrypted":"stays readable"}}
        """;

    public const string Json = """
        {"user": "admin", "password": "p@ss\"word", "n": 42, "f": 2.25, "b": false, "nested": {"k": ["x", "y"], "deep": {"v": "z"}}, "z": null}
        """;

    public const string Dotenv = "USER=admin\nPASSWORD=p@ss=word\nMULTI=first\\nsecond\nAPI_KEY=k-123\n";

    public const string DotenvJson = """
        {"USER":"admin","PASSWORD":"p@ss=word","MULTI":"first\nsecond","API_KEY":"k-123"}
        """;
}
