import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAov, tempDir } from './helpers.js';

/**
 * Order-export headers in the seeds' markets' languages (#21): order number, date, customer,
 * SKU, product, quantity, unit price, currency, status. Two orders each: 2 x 12.50 + 1 x 5.00
 * = 30.00, and one cancelled order that must not count.
 */
const HEADERS: Record<string, { header: string[]; cancelled: string }> = {
  italian: { header: ['Numero ordine', 'Data ordine', 'Cliente', 'Codice', 'Prodotto', 'Quantità', 'Prezzo unitario', 'Valuta', 'Stato'], cancelled: 'annullato' },
  norwegian: { header: ['Ordrenummer', 'Ordredato', 'Kunde', 'Varenummer', 'Produktnavn', 'Antall', 'Enhetspris', 'Valuta', 'Ordrestatus'], cancelled: 'kansellert' },
  danish: { header: ['Ordrenr', 'Dato', 'Kundenummer', 'Varenr', 'Produktnavn', 'Antal', 'Enhedspris', 'Valuta', 'Status'], cancelled: 'annulleret' },
  swedish: { header: ['Ordernummer', 'Orderdatum', 'Kund', 'Artikelnummer', 'Produktnamn', 'Antal', 'Styckpris', 'Valuta', 'Status'], cancelled: 'makulerad' },
  german: { header: ['Bestellnummer', 'Bestelldatum', 'Kundennummer', 'Artikelnummer', 'Produktname', 'Menge', 'Einzelpreis', 'Währung', 'Bestellstatus'], cancelled: 'storniert' },
  dutch: { header: ['Bestelnummer', 'Besteldatum', 'Klant', 'Artikelnummer', 'Productnaam', 'Aantal', 'Stukprijs', 'Valuta', 'Status'], cancelled: 'geannuleerd' },
  french: { header: ['Numéro de commande', 'Date de commande', 'Client', 'Référence', 'Nom du produit', 'Quantité', 'Prix unitaire', 'Devise', 'Statut'], cancelled: 'annulé' },
  spanish: { header: ['Número de pedido', 'Fecha del pedido', 'Cliente', 'Referencia', 'Nombre del producto', 'Cantidad', 'Precio unitario', 'Moneda', 'Estado'], cancelled: 'cancelado' },
};

describe('order-export headers by language', () => {
  for (const [language, { header, cancelled }] of Object.entries(HEADERS)) {
    it(`reads a ${language} export by its headers`, () => {
      const rows = [
        ['1001', '2024-01-11', 'c1', 'A1', 'Mug', '2', '12.50', 'EUR', 'completed'],
        ['1002', '2024-01-12', 'c2', 'B2', 'Tea', '1', '5.00', 'EUR', 'completed'],
        ['1003', '2024-01-12', 'c3', 'B2', 'Tea', '3', '5.00', 'EUR', cancelled],
      ];
      const file = path.join(tempDir('aov-lang-'), `${language}.csv`);
      writeFileSync(file, [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
      const r = runAov(['analyze', file, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.input.detected[0].columns).toEqual({
        order: header[0], date: header[1], customer: header[2], item: header[3], name: header[4], quantity: header[5], price: header[6], currency: header[7], status: header[8],
      });
      expect(doc.currencies[0].revenue).toBe(30);
      expect(doc.input.excluded).toEqual({ cancelled: 1 });
    });
  }
});

describe('a basket file given as an order export', () => {
  it('says it looks like a basket file and names --format baskets (it said "closest header: margarine")', async () => {
    const { DATA } = await import('./helpers.js');
    const file = path.join(DATA, 'groceries.csv');
    for (const command of ['formats', 'analyze']) {
      const r = runAov([command, file]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`aov: error: ${file}:1 names no column aov knows ("citrus fruit", "semi-finished bread", "margarine", "ready soups" ...): it looks like a basket file, one basket of items per line without a header.`);
      expect(r.stderr).toContain(`hint: Read it as one: aov bundles ${file} --format baskets.`);
    }
  });
});
