//! The optional address section of `generateActiveCode` and `activateCode`, defined by one table.
//!
//! Each row of the table below gives a field's Rust name, its type (`String` is required,
//! `Option<String>` optional), its JSON name, its XML element, how its value is checked, and where
//! the XML name comes from (**doc**: InPost's documentation; **inferred**: our guess, provisional).
//! The [`Address`] struct, its serde names, the rule each field is validated by and the order the
//! XML elements are written in are all generated from this one table, so they cannot disagree:
//! moving a row moves the field everywhere, and the tests pin the documented order.
//!
//! InPost describes the section only in prose (see `docs/inpost-api.md`, "Address section"):
//! correcting a provisional XML name is a one-word change in its row.

use serde::{Deserialize, Serialize};

/// The wrapper element of the address section. inferred
pub const ADDRESS: &str = "address";

/// How a field's value is checked, beyond being required or optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Any text XML can carry.
    Text,
    /// An e-mail address, checked like `senderEmail`.
    Email,
    /// A Polish phone number, normalised to 9 digits like `senderPhone`.
    Phone,
    /// A Polish zip code `NN-NNN`.
    PostCode,
}

/// One row of the address table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AddressField {
    /// The JSON name users write, e.g. `postCode`; stays stable if an XML spelling is corrected.
    pub json: &'static str,
    /// The XML element written, e.g. `postCode` (provisional except `companyName` and `name`).
    pub xml: &'static str,
    /// Whether the field must be present when the section is.
    pub required: bool,
    /// How the value is checked.
    pub format: Format,
}

/// What the table's two field types mean: a `String` is required (absent reads as empty, which
/// validation refuses by name), an `Option<String>` optional (absent, `null` and `""` alike).
trait FieldType: Default {
    const REQUIRED: bool;
    fn value(&self) -> Option<&str>;
    fn from_option(value: Option<String>) -> Self;
    fn is_absent(&self) -> bool;
}

impl FieldType for String {
    const REQUIRED: bool = true;
    fn value(&self) -> Option<&str> {
        Some(self)
    }
    fn from_option(value: Option<String>) -> Self {
        value.unwrap_or_default()
    }
    fn is_absent(&self) -> bool {
        false
    }
}

impl FieldType for Option<String> {
    const REQUIRED: bool = false;
    fn value(&self) -> Option<&str> {
        self.as_deref()
    }
    fn from_option(value: Option<String>) -> Self {
        value
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

macro_rules! address_table {
    ($(
        $(#[doc = $doc:literal])*
        $field:ident: $ty:ty => $json:literal as $xml:literal, $format:ident, $source:ident;
    )+) => {
        /// The optional delivery address: where the returned parcel goes. When the section is left
        /// out, InPost uses the address stored in the parcel-manager account. Its XML element names
        /// are provisional except `companyName` and `name`.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct Address {
            $(
                $(#[doc = $doc])*
                #[doc = concat!("\n\nJSON `", $json, "`, XML `<", $xml, ">` (", stringify!($source), ").")]
                #[serde(rename = $json, skip_serializing_if = "FieldType::is_absent")]
                pub $field: $ty,
            )+
        }

        /// The address fields in the order they are written, with their rules.
        pub const ADDRESS_FIELDS: [AddressField; [$($json),+].len()] = [$(
            AddressField {
                json: $json,
                xml: $xml,
                required: <$ty as FieldType>::REQUIRED,
                format: Format::$format,
            },
        )+];

        impl Address {
            /// The values in [`ADDRESS_FIELDS`] order; `None` for an absent optional field.
            pub(crate) fn values(&self) -> [Option<&str>; ADDRESS_FIELDS.len()] {
                [$(FieldType::value(&self.$field)),+]
            }

            /// Builds an address by asking `read` for each field by its JSON name, in table
            /// order: for faces that read their input field by field (the wasm module). `None`
            /// means absent; a required field that is absent reads as empty, which validation
            /// refuses by name.
            pub fn from_fields<E>(
                mut read: impl FnMut(&'static str) -> Result<Option<String>, E>,
            ) -> Result<Self, E> {
                Ok(Address {
                    $($field: FieldType::from_option(read($json)?),)+
                })
            }
        }
    };
}

address_table! {
    /// Company name.
    company_name: Option<String> => "companyName" as "companyName", Text, doc;
    /// First name or company name.
    name: String => "name" as "name", Text, doc;
    /// Last name or company name.
    surname: String => "surname" as "surname", Text, inferred;
    /// Recipient e-mail.
    email: Option<String> => "email" as "email", Email, inferred;
    /// Recipient phone, normalised like `senderPhone`.
    phone: Option<String> => "phone" as "phone", Phone, inferred;
    /// Street.
    street: String => "street" as "street", Text, inferred;
    /// Building number.
    building_number: String => "buildingNumber" as "buildingNumber", Text, inferred;
    /// Flat number (documented as required).
    flat_number: String => "flatNumber" as "flatNumber", Text, inferred;
    /// Polish zip code `NN-NNN`.
    post_code: String => "postCode" as "postCode", PostCode, inferred;
    /// Town.
    city: String => "city" as "city", Text, inferred;
    /// Province.
    province: Option<String> => "province" as "province", Text, inferred;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An address whose every field holds its own JSON name, so a value in the wrong place shows.
    fn labelled() -> Address {
        Address::from_fields(|json| Ok::<_, ()>(Some(json.to_owned()))).unwrap()
    }

    #[test]
    fn serde_names_values_and_reading_follow_the_table() {
        let address = labelled();
        let json = serde_json::to_value(&address).unwrap();
        let object = json.as_object().unwrap();
        assert_eq!(object.len(), ADDRESS_FIELDS.len());
        for (field, value) in ADDRESS_FIELDS.iter().zip(address.values()) {
            assert_eq!(value, Some(field.json));
            assert_eq!(object[field.json], field.json);
        }
        let back: Address = serde_json::from_value(json).unwrap();
        assert_eq!(back, address);
    }

    #[test]
    fn required_follows_the_field_type() {
        let absent = Address::from_fields(|_| Ok::<_, ()>(None)).unwrap();
        for (field, value) in ADDRESS_FIELDS.iter().zip(absent.values()) {
            assert_eq!(value.is_some(), field.required, "{}", field.json);
        }
        let required: Vec<&str> = ADDRESS_FIELDS
            .iter()
            .filter(|f| f.required)
            .map(|f| f.json)
            .collect();
        assert_eq!(
            required,
            [
                "name",
                "surname",
                "street",
                "buildingNumber",
                "flatNumber",
                "postCode",
                "city"
            ]
        );
    }
}
