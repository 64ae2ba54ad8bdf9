namespace Homelab.Tests.Infrastructure;

/// <summary>Debian's age and age-keygen (installed by eng/install-interop.sh): the reference age implementation.</summary>
internal static class AgeCli
{
    /// <summary>A new identity file written by age-keygen, and its public key as <c>age-keygen -y</c> prints it.</summary>
    public static async Task<(string File, string Recipient)> KeygenAsync(string folder)
    {
        var file = Path.Combine(folder, $"age-keygen-{Guid.NewGuid():N}.txt");
        await ProcessRunner.RunAsync("age-keygen", ["-o", file]);
        return (file, await RecipientOfAsync(file));
    }

    /// <summary><c>age-keygen -y</c>: the recipient of the identity file.</summary>
    public static async Task<string> RecipientOfAsync(string identityFile) => (await ProcessRunner.RunAsync("age-keygen", ["-y", identityFile])).Trim();

    /// <summary><c>age -d -i</c>: the plaintext of an (armored or binary) age file.</summary>
    public static async Task<byte[]> DecryptAsync(string identityFile, string file)
    {
        var output = file + ".out";
        await ProcessRunner.RunAsync("age", ["-d", "-i", identityFile, "-o", output, file]);
        // age opens -o on its first write: an empty plaintext leaves no file.
        return File.Exists(output) ? await File.ReadAllBytesAsync(output) : [];
    }

    /// <summary><c>age -r [-a]</c>: <paramref name="input"/> encrypted to <paramref name="recipient"/>; the file written.</summary>
    public static async Task<string> EncryptAsync(string recipient, string input, bool armor)
    {
        var output = input + (armor ? ".asc" : ".age");
        var args = new List<string> { "-r", recipient, "-o", output, input };
        if (armor)
        {
            args.Insert(0, "-a");
        }

        await ProcessRunner.RunAsync("age", args);
        return output;
    }
}
