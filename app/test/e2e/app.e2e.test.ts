// The dApp end to end: real headless Chromium (Debian's), the real dApp bundle, the
// real @stellar/freighter-api, the devnet and the deployed contract. The only fake is
// the Freighter extension at its message boundary (see harness.ts). One devnet, one
// browser, shared by every test, which run in order.
import { Keypair, Networks } from "@stellar/stellar-sdk";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthly } from "../../../sdk/src/schedule.js";
import type { Party } from "../../../sdk/test/integration/harness.js";
import { parseAmount } from "../../src/lib/amount.js";
import { type AppWorld, axeViolations, screenshot, startAppWorld } from "./harness.js";

const USDC = 10_000_000n;
let w: AppWorld;
let recipient: Party;
let sender: Party;
let linearId: bigint;

beforeAll(async () => {
  w = await startAppWorld();
  recipient = await w.world.party();
  sender = await w.world.party({ mint: 10_000_000n * USDC });
  const now = await w.world.now();
  // 1,000 USDC over 10,000 s from 100 s ago: 0.1 USDC a second.
  const r = await sender.client.create({
    sender: sender.address,
    recipient: recipient.address,
    token: w.world.tokenId,
    schedule: {
      kind: "linear",
      startTs: now - 100n,
      cliffTs: now - 100n,
      endTs: now + 9_900n,
      deposit: 1_000n * USDC,
    },
    cancelable: true,
    transferable: true,
  });
  linearId = r.result;
}, 900_000);

afterAll(async () => {
  await w?.stop();
});

/** Opens the app at `path` and connects the fake Freighter as `who`. */
async function connectAs(who: Keypair, path = "/", ownContext = false): Promise<Page> {
  w.wallet.keypair = who;
  const page = await w.newPage({ ownContext });
  await page.goto(`${w.url}${path}`);
  await page.getByTestId("connect-freighter").first().click();
  await expect
    .poll(() => page.getByTestId("wallet-address").textContent(), { timeout: 20_000 })
    .toContain(who.publicKey().slice(-4));
  return page;
}

async function text(page: Page, testId: string): Promise<string> {
  const el = page.getByTestId(testId);
  await el.waitFor({ timeout: 30_000 });
  return (await el.textContent()) ?? "";
}

describe("the dApp in Chromium", () => {
  it("connects with Freighter; the ticking balance equals the contract's withdrawable at the ledger's time", async () => {
    const page = await connectAs(recipient.kp, "/", true);
    const value = page.getByTestId(`stream-${linearId}`).getByTestId("withdrawable");
    await value.waitFor({ timeout: 30_000 });
    expect((await axeViolations(page)).join("\n")).toBe("");
    await screenshot(page, "incoming");
    const list = page.getByTestId("incoming-list");
    const closeTs = BigInt((await list.getAttribute("data-anchor-close-ts")) ?? "0");
    const readMs = Number(await list.getAttribute("data-anchor-read-ms"));
    // The contract computes what it pays at the ledger's close time: withdraw_max pays
    // exactly `withdrawable` then. The page has not re-read the chain since.
    const paid = await recipient.client.withdrawMax({ id: linearId, to: recipient.address });
    // The close time of the ledger the withdrawal landed in (ledgers keep closing).
    const landed = await w.world.server.getLedgers({ startLedger: paid.ledger, pagination: { limit: 1 } });
    const ledgerTs = BigInt(landed.ledgers[0]?.ledgerCloseTime ?? "0");
    expect(paid.result).toBeGreaterThan(0n);
    // Put the page's wall clock at that ledger second (the view advances ledger time by
    // elapsed wall seconds since its read) and read what it shows there.
    await page.clock.setFixedTime(readMs + Number(ledgerTs - closeTs) * 1000 + 500);
    await expect.poll(() => value.getAttribute("data-ledger-ts"), { timeout: 10_000 }).toBe(String(ledgerTs));
    expect(await value.getAttribute("data-units")).toBe(String(paid.result));
    await page.close();
  }, 240_000);

  it("withdraws an exact amount, and all: the token balance moves by exactly what was shown", async () => {
    await w.world.warp(600);
    const page = await connectAs(recipient.kp);
    await page.getByTestId(`withdraw-${linearId}`).click();
    const dialog = page.getByTestId(`withdraw-${linearId}-dialog`);
    await dialog.getByLabel("An exact amount").check();
    await dialog.getByTestId("withdraw-amount").fill("12.3456789");
    await expect.poll(() => dialog.textContent()).toContain("You will receive exactly 12.3456789 USDC.");
    await screenshot(page, "withdraw-dialog");
    expect((await axeViolations(page)).join("\n")).toBe("");
    const before = await w.world.balance(recipient.address);
    await dialog.getByTestId("confirm").click();
    await expect
      .poll(() => dialog.getByTestId("tx-outcome").textContent(), { timeout: 60_000 })
      .toMatch(/Withdrew exactly 12\.3456789 USDC/);
    expect((await w.world.balance(recipient.address)) - before).toBe(123_456_789n);
    await dialog.getByRole("button", { name: "Close" }).click();
    // After the transaction the card shows the chain's new state.
    const onChain = await w.world.reader.get(linearId);
    await expect
      .poll(() => page.getByTestId(`stream-${linearId}`).getByTestId("withdrawn").textContent())
      .toBe(`${(Number(onChain.withdrawn) / 1e7).toFixed(7).replace(/0+$/, "").replace(/\.$/, "")} USDC`);
    // Everything withdrawable: the outcome states the exact amount paid.
    await page.getByTestId(`withdraw-${linearId}`).click();
    const before2 = await w.world.balance(recipient.address);
    await dialog.getByTestId("confirm").click();
    const outcome = await expect
      .poll(() => dialog.getByTestId("tx-outcome").textContent(), { timeout: 60_000 })
      .toMatch(/Withdrew [\d,.]+ USDC \(everything/)
      .then(() => dialog.getByTestId("tx-outcome").textContent());
    const shown = /Withdrew ([\d,.]+) USDC/.exec(outcome ?? "")?.[1] ?? "";
    expect((await w.world.balance(recipient.address)) - before2).toBe(parseAmount(shown, 7));
    await page.close();
  }, 240_000);

  it("a rejected signature changes nothing and says so", async () => {
    await w.world.warp(60);
    const page = await connectAs(recipient.kp);
    const before = await w.world.balance(recipient.address);
    const stream = await w.world.reader.get(linearId);
    w.wallet.reject = true;
    try {
      await page.getByTestId(`withdraw-${linearId}`).click();
      const dialog = page.getByTestId(`withdraw-${linearId}-dialog`);
      await dialog.getByTestId("confirm").click();
      await expect
        .poll(() => dialog.getByTestId("tx-outcome").textContent(), { timeout: 30_000 })
        .toBe("You declined the signature in your wallet. Nothing was sent; nothing changed.");
    } finally {
      w.wallet.reject = false;
    }
    expect(w.wallet.calls).toContain("SUBMIT_TRANSACTION");
    expect(await w.world.balance(recipient.address)).toBe(before);
    expect((await w.world.reader.get(linearId)).withdrawn).toBe(stream.withdrawn);
    await page.close();
  }, 240_000);

  it("a wallet on another network gets a blocking banner and is never asked to sign", async () => {
    w.wallet.passphrase = Networks.PUBLIC;
    w.wallet.calls = [];
    try {
      const page = await connectAs(recipient.kp);
      const banner = page.getByTestId("network-banner");
      await banner.waitFor({ timeout: 20_000 });
      expect(await banner.textContent()).toContain("Wrong network.");
      expect(await banner.textContent()).toContain(Networks.PUBLIC);
      const withdraw = page.getByTestId(`withdraw-${linearId}`);
      await withdraw.waitFor({ timeout: 30_000 });
      expect(await withdraw.isDisabled()).toBe(true);
      expect((await axeViolations(page)).join("\n")).toBe("");
      await screenshot(page, "wrong-network");
      await page.close();
    } finally {
      w.wallet.passphrase = w.world.net.passphrase;
    }
    expect(w.wallet.calls).not.toContain("SUBMIT_TRANSACTION");
    expect(w.wallet.calls).toContain("REQUEST_NETWORK_DETAILS");
  }, 240_000);

  it("payroll CSV: a bad row is named; 20 rows become 20 streams with the right schedules", async () => {
    const page = await connectAs(sender.kp, "/create");
    await page.getByRole("tab", { name: "Payroll CSV" }).click();
    await expect
      .poll(() => page.locator("main").textContent(), { timeout: 20_000 })
      .toContain("USDC, 7 decimals");
    const start = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const header = "recipient,amount_per_month,months,start,reference";
    const csv = page.getByLabel("Or paste it");
    await csv.fill(
      `${header}\n${Keypair.random().publicKey()},100,12,${start},ok\n${Keypair.random().publicKey()},12.345678901,12,${start},bad`,
    );
    await page.getByRole("button", { name: "Check rows" }).click();
    expect(await text(page, "csv-issues")).toContain("Line 3, amount_per_month: This token has 7 decimals");
    expect(await page.getByTestId("payroll-create").isDisabled()).toBe(true);

    const rows = Array.from({ length: 20 }, (_, i) => ({
      recipient: Keypair.random().publicKey(),
      amount: `${1_000 + i}.5`,
      months: (i % 12) + 1,
      ref: `employee ${i + 1}`,
    }));
    await csv.fill(
      [header, ...rows.map((r) => `${r.recipient},${r.amount},${r.months},${start},${r.ref}`)].join("\n"),
    );
    await page.getByRole("button", { name: "Check rows" }).click();
    await expect.poll(() => text(page, "csv-preview"), { timeout: 20_000 }).toContain("20 streams");
    // The recipients are fresh keys with no account: the preview warns (SDK canReceive), without blocking.
    expect(await text(page, "csv-receive-warning")).toContain("cannot be paid in this token yet");
    expect((await axeViolations(page)).join("\n")).toBe("");
    await screenshot(page, "payroll", true);
    await page.getByTestId("payroll-create").click();
    await expect
      .poll(
        () =>
          page
            .getByTestId("payroll-outcome")
            .textContent()
            .catch(() => ""),
        { timeout: 120_000 },
      )
      .toMatch(/^Created 20 streams in \d+ transaction/);
    const streams = await w.world.reader.listStreams({ sender: sender.address, withTranches: true });
    const startTs = BigInt(Date.parse(`${start}T00:00:00Z`) / 1000);
    for (const r of rows) {
      const s = streams.filter((x) => x.recipient === r.recipient);
      expect(s).toHaveLength(1);
      const perMonth = parseAmount(r.amount, 7);
      expect(s[0]!.tranches).toEqual(
        monthly({ start: startTs, months: r.months, amountPerMonth: perMonth }).tranches,
      );
      expect(s[0]!.deposited).toBe(perMonth * BigInt(r.months));
    }
    await page.close();
  }, 240_000);

  it("cancel refunds exactly what the confirmation showed", async () => {
    // An open-ended stream that accrued a little and was paused: its refund is fixed.
    const { result: id } = await sender.client.create({
      sender: sender.address,
      recipient: Keypair.random().publicKey(),
      token: w.world.tokenId,
      schedule: { kind: "openEnded", amountPerPeriod: USDC, periodS: 10n, startTs: 0n, deposit: 100n * USDC },
      cancelable: true,
      transferable: false,
    });
    await w.world.warp(35);
    await sender.client.pause(id);
    const page = await connectAs(sender.kp, "/outgoing");
    await page.getByTestId(`out-${id}`).waitFor({ timeout: 30_000 });
    expect((await axeViolations(page)).join("\n")).toBe("");
    await page.getByTestId(`out-${id}`).scrollIntoViewIfNeeded();
    await screenshot(page, "outgoing");
    await page.getByTestId(`cancel-${id}`).click();
    const dialog = page.getByTestId(`cancel-${id}-dialog`);
    const refund = dialog.getByTestId("cancel-refund");
    await refund.waitFor({ timeout: 30_000 });
    const shown = BigInt((await refund.getAttribute("data-units")) ?? "-1");
    const shownText = (await refund.textContent()) ?? "";
    await screenshot(page, "cancel-dialog");
    const before = await w.world.balance(sender.address);
    await dialog.getByTestId("confirm").click();
    await expect
      .poll(() => dialog.getByTestId("tx-outcome").textContent(), { timeout: 60_000 })
      .toContain(`Refunded exactly ${shownText}`);
    expect((await w.world.balance(sender.address)) - before).toBe(shown);
    const s = await w.world.reader.get(id);
    expect(s.status).toBe("canceled");
    expect(shown).toBe(100n * USDC - (s.schedule.kind === "openEnded" ? s.schedule.accruedAtSnapshot : 0n));
    // The outcome stays until the dialog is closed; closing re-reads the chain, and a canceled
    // stream offers no Cancel any more.
    await dialog.getByRole("button", { name: "Close" }).click();
    await page.getByTestId(`cancel-${id}`).waitFor({ state: "detached", timeout: 30_000 });
    await page.close();
  }, 240_000);

  it("the devnet test wallet: a demo account one click away, and a friendbot-funded throwaway key", async () => {
    w.demoAccounts.splice(0, w.demoAccounts.length, { name: "recipient", keypair: recipient.kp });
    const page = await w.newPage({ ownContext: true });
    await page.goto(w.url);
    await page.getByRole("button", { name: "Use demo recipient" }).click();
    expect(await text(page, "wallet-address")).toContain("Devnet test wallet (recipient)");
    await page.getByTestId(`stream-${linearId}`).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("button", { name: "New throwaway account" }).click();
    const label = await text(page, "wallet-address");
    expect(label).toContain("Devnet test wallet (throwaway)");
    // The key lives in this tab's sessionStorage, and friendbot funded its account.
    const secret = await page.evaluate(() => sessionStorage.getItem("tributary.devnetTestWallet.secret"));
    const address = Keypair.fromSecret(secret ?? "").publicKey();
    expect(label).toContain(address.slice(-4));
    const account = await w.world.server.getAccount(address);
    expect(account.accountId()).toBe(address);
    await page.context().close();
  }, 240_000);

  it("the stream page is readable without a wallet: schedule, chart, history", async () => {
    const page = await w.newPage();
    await page.goto(`${w.url}/stream/${linearId}`);
    await page
      .getByTestId("stream-page")
      .waitFor({ timeout: 30_000 })
      .catch(async (e) => {
        throw new Error(
          `the stream page did not render; it shows: ${await page.locator("body").textContent()}`,
          { cause: e },
        );
      });
    await expect
      .poll(() => page.getByTestId("history").textContent(), { timeout: 20_000 })
      .toContain("Created with 1,000 USDC");
    expect(await page.getByTestId("history").textContent()).toContain("Recipient withdrew 12.3456789 USDC");
    expect(await page.locator("svg[role=img] title").textContent()).toContain(`stream #${linearId}`);
    expect(await page.getByTestId("history-truncated").count()).toBe(0);
    expect((await axeViolations(page)).join("\n")).toBe("");
    await screenshot(page, "stream", true);
    // Create (monthly salary with its paydays) and the landing view, checked too.
    await page.goto(`${w.url}/create`);
    await page.getByRole("tab", { name: "Monthly salary" }).click();
    await page.getByLabel("Recipient", { exact: true }).fill(recipient.address);
    await page.getByLabel(/Amount per month/).fill("5000");
    await page.getByLabel("Months").fill("6");
    await page.getByTestId("create-preview").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("create-preview").textContent()).toContain(
      "6 paydays of 5,000.0000000 USDC",
    );
    expect((await axeViolations(page)).join("\n")).toBe("");
    await screenshot(page, "create-monthly");
    await page.goto(`${w.url}/`);
    await page.getByTestId("connect-freighter").waitFor();
    expect((await axeViolations(page)).join("\n")).toBe("");
    await screenshot(page, "connect");
    await page.close();
  }, 240_000);
});
