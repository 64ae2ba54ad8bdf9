using Homelab.Tests.AppHost.Publishing;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Image;

/// <summary>
/// The linux/arm64 image (NativeAOT cross-compiled, its libraries from Debian's arm64 packages), checked on this amd64
/// machine: its root filesystem, unpacked from the OCI archive as a node would, runs under Debian's
/// <c>qemu-aarch64-static</c> (user-mode emulation, pointed at that root filesystem with <c>-L</c>, so no binfmt
/// registration is needed) and renders exactly what the amd64 image renders.
/// </summary>
public sealed class Arm64ImageTests(ReconcilerImageFixture image) : IClassFixture<ReconcilerImageFixture>
{
    private const string Executable = "app/Homelab.Reconciler";

    // ELF e_machine values (the ELF specification): the architecture a binary runs on.
    private const ushort Aarch64 = 0xB7;
    private const ushort X8664 = 0x3E;

    [ImageFact]
    public async Task The_arm64_image_under_qemu_user_static_builds_the_published_tree_byte_identical_to_the_amd64_image()
    {
        var archive = OciArchive.Read(image.Archive);
        var arm64 = await archive.UnpackAsync("linux/arm64");
        var amd64 = await archive.UnpackAsync("linux/amd64");
        var generated = GitRepository.Create()
            .Write("kustomization.yaml", "namePrefix: n-\ncommonLabels:\n  app: demo\nresources: [a.yaml]\nconfigMapGenerator:\n- name: settings\n  literals: [mode=on, count=3]\n")
            .Write("a.yaml", Yaml.Executable("a"));

        foreach (var tree in new[] { Publisher.Committed, generated.Root })
        {
            var onArm64 = await ProcessRunner.RunToExitAsync("qemu-aarch64-static", ["-L", arm64, Path.Combine(arm64, Executable), "build", tree]);
            var onAmd64 = await ProcessRunner.RunToExitAsync(Path.Combine(amd64, Executable), ["build", tree]);

            Assert.True(onArm64.ExitCode == 0, $"arm64 under qemu exited {onArm64.ExitCode}: {onArm64.Error}");
            Assert.True(onAmd64.ExitCode == 0, $"amd64 exited {onAmd64.ExitCode}: {onAmd64.Error}");
            Assert.Contains("kind: ", onArm64.Output, StringComparison.Ordinal);
            Assert.Equal(onAmd64.Output, onArm64.Output);
        }
    }

    [ImageFact]
    public async Task Every_binary_of_the_arm64_image_is_aarch64_and_every_binary_of_the_amd64_image_is_x86_64()
    {
        var archive = OciArchive.Read(image.Archive);
        foreach (var (platform, machine, loader) in new[] { ("linux/arm64", Aarch64, "lib/ld-linux-aarch64.so.1"), ("linux/amd64", X8664, "lib64/ld-linux-x86-64.so.2") })
        {
            var root = await archive.UnpackAsync(platform);
            var binaries = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint))
                .Select(f => (Path: Path.GetRelativePath(root, f), Machine: ElfMachine(f)))
                .Where(b => b.Machine is not null)
                .ToList();

            Assert.All(binaries, b => Assert.True(b.Machine == machine, $"{platform}: {b.Path} is built for ELF machine 0x{b.Machine:X}, not 0x{machine:X}"));
            var names = binaries.Select(b => b.Path).ToHashSet(StringComparer.Ordinal);
            Assert.Contains(Executable, names);
            Assert.Contains(loader, names);
            // libc, OpenSSL (loaded with dlopen, so no ELF header names it) and libgit2 beside the executable.
            Assert.Contains(names, n => n.EndsWith("/libc.so.6", StringComparison.Ordinal));
            Assert.Contains(names, n => n.EndsWith("/libssl.so.3", StringComparison.Ordinal));
            Assert.Contains(names, n => n.StartsWith("app/libgit2-", StringComparison.Ordinal));
        }
    }

    /// <summary>The ELF header's e_machine, or null for a file that is not ELF.</summary>
    private static ushort? ElfMachine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using var file = File.OpenRead(path);
        if (file.Read(header) < header.Length || header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            return null;
        }

        // Little-endian (EI_DATA 1) on both architectures.
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
    }
}
