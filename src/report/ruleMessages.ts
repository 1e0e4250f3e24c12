/**
 * "You're X away" messages for threshold rules, per locale. {remaining} is filled by the
 * shop with the amount still missing, formatted with Intl for the locale (8,00 €, 129 kr).
 */

const GIFT: Record<string, string> = {
  en: "You're only {remaining} away from a free gift!",
  'it-IT': 'Ti mancano solo {remaining} per il regalo!',
  'nb-NO': 'Du mangler {remaining} for en gratis gave',
  'de-DE': 'Nur noch {remaining} bis zu deinem Gratisgeschenk!',
  'fr-FR': 'Plus que {remaining} pour recevoir un cadeau !',
  'es-ES': '¡Solo te faltan {remaining} para tu regalo!',
  'nl-NL': 'Nog maar {remaining} tot je gratis cadeau!',
  'sv-SE': 'Bara {remaining} kvar till en gratis present!',
  'da-DK': 'Kun {remaining} mere til en gratis gave!',
};

const SHIPPING: Record<string, string> = {
  en: 'Only {remaining} more for free shipping',
  'it-IT': 'Ti mancano solo {remaining} per la spedizione gratuita',
  'nb-NO': 'Du mangler {remaining} for gratis frakt',
  'de-DE': 'Nur noch {remaining} bis zum kostenlosen Versand',
  'fr-FR': 'Plus que {remaining} pour la livraison gratuite',
  'es-ES': 'Solo te faltan {remaining} para el envío gratis',
  'nl-NL': 'Nog maar {remaining} tot gratis verzending',
  'sv-SE': 'Bara {remaining} kvar till fri frakt',
  'da-DK': 'Kun {remaining} mere til gratis fragt',
};

export const MESSAGE_LOCALES = Object.keys(GIFT);

/** The messages for the locales asked for (always including en), with a formatted example. */
export function thresholdMessages(kind: 'gift' | 'free_shipping', locales: readonly string[], currency: string, exampleRemainingMajor: number) {
  const table = kind === 'gift' ? GIFT : SHIPPING;
  const wanted = [...new Set(['en', ...locales])];
  const message: Record<string, string> = {};
  const examples: Record<string, string> = {};
  for (const locale of wanted) {
    const language = locale.split('-')[0];
    const template = table[locale] ?? Object.entries(table).find(([k]) => k.split('-')[0] === language)?.[1] ?? table.en;
    message[locale] = template;
    let amount: string;
    try {
      amount = new Intl.NumberFormat(locale === 'en' ? 'en-US' : locale, { style: 'currency', currency }).format(exampleRemainingMajor);
    } catch {
      amount = `${exampleRemainingMajor.toFixed(2)} ${currency}`;
    }
    examples[locale] = template.replace('{remaining}', amount);
  }
  return { message, examples };
}
