// Decrypts a SOPS file with sops-age (an independent SOPS + age decoder) and prints its values as JSON on stdout.
// Usage: node decrypt.mjs FILE   (the age identity comes in SOPS_AGE_KEY, never as an argument)
import { readFile } from "node:fs/promises";
import { decryptSops } from "sops-age";

const [file] = process.argv.slice(2);
const fileType = file.endsWith(".json") ? "json" : file.endsWith(".env") ? "env" : "yaml";
const data = await decryptSops(await readFile(file, "utf8"), { secretKey: process.env.SOPS_AGE_KEY.trim(), fileType });
process.stdout.write(JSON.stringify(data));
