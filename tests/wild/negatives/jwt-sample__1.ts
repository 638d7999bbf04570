// test/auth.spec.ts — our upload proxy in front of api.photalabs.com checks a session JWT.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";

// the well-known example token from jwt.io (HS256, "John Doe")
const JWT_IO_SAMPLE =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

describe("session parsing", () => {
  it("reads the subject without verifying", () => {
    expect(decodeJwt(JWT_IO_SAMPLE).sub).toBe("1234567890");
  });
  it("never forwards the session token as X-API-Key to Phota", () => {
    expect(process.env.PHOTA_API_KEY ?? "").not.toContain("eyJ");
  });
});
