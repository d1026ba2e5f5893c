import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { loadConfig } from "./lib/config.js";
import { AppProvider } from "./state.js";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <AppProvider config={config}>
          <App />
        </AppProvider>
      </StrictMode>,
    ),
  (e: Error) =>
    root.render(
      <main className="boot-error">
        <h1>Tributary could not start</h1>
        <p role="alert">{e.message}</p>
      </main>,
    ),
);
