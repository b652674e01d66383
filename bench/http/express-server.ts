import type { AddressInfo } from "node:net";
import express from "express";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// Express 5 with its defaults and the JSON body parser, as an Express user would write it.
const app = express();
app.use(express.json());
app.get("/hello", (_req, res) => void res.type("text/plain").send(TEXT));
app.get("/users/:id", (req, res) => void res.json(userJson(req.params.id ?? "", req.query.include)));
app.post("/orders", (req, res) => void res.json(acceptOrder(req.body)));

const server = app.listen(0, "127.0.0.1", () =>
  ready((server.address() as AddressInfo).port, { stack: "express.json()" }),
);
